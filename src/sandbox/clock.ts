// The sandbox's virtual clock: time only moves when told, and everything due on the way happens in order.
import type { OutgoingNotification } from './notifier.js';
import type { SandboxClock } from './types.js';

/** What the clock drives; supplied by the sandbox. */
export interface ClockHooks {
  /** Work done at the start of every advance (pending refunds complete). */
  onAdvance(at: Date): OutgoingNotification[];
  nextDueAt(): Date | undefined;
  runDue(at: Date): OutgoingNotification[];
  deliver(batch: readonly OutgoingNotification[]): Promise<void>;
  /** Whether notifications of one advance are held and delivered as one batch (out-of-order fault, chaos reorder). */
  holdBatch(): boolean;
  /** Sends the delayed notifications due by `at` (chaos delay); nextDueAt includes their times. */
  release?(at: Date): Promise<void>;
}

// A guard against a plan whose dates would not move forward; real plans step at least one day.
const MAX_STEPS = 100_000;

/** A clock that starts at `startAt` and moves only through advance/advanceTo, one advance at a time. */
export class VirtualClock implements SandboxClock {
  private current: number;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    startAt: Date,
    private readonly hooks: ClockHooks,
  ) {
    if (!(startAt instanceof Date) || Number.isNaN(startAt.getTime()))
      throw new TypeError('startAt must be a valid Date');
    this.current = startAt.getTime();
  }

  /** The current sandbox time. */
  now(): Date {
    return new Date(this.current);
  }

  /** Moves time forward by `ms`, counted from the time at which this advance gets its turn. */
  advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0)
      return Promise.reject(new RangeError('advance: ms must be a non-negative number'));
    return this.exclusive(() => this.run(this.current + ms));
  }

  /** Moves time forward to `d`; RangeError when `d` is before the current time. */
  advanceTo(d: Date): Promise<void> {
    if (!(d instanceof Date) || Number.isNaN(d.getTime()))
      return Promise.reject(new TypeError('advanceTo: invalid Date'));
    return this.exclusive(async () => {
      if (d.getTime() < this.current) throw new RangeError('advanceTo: the sandbox clock cannot go back');
      await this.run(d.getTime());
    });
  }

  /** Runs `fn` after every earlier advance or exclusive operation has finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async run(target: number): Promise<void> {
    const held: OutgoingNotification[] = [];
    const emit = async (batch: OutgoingNotification[]) => {
      if (this.hooks.holdBatch()) held.push(...batch);
      else if (batch.length > 0) await this.hooks.deliver(batch);
    };
    await emit(this.hooks.onAdvance(this.now()));
    for (let steps = 0; steps < MAX_STEPS; steps += 1) {
      const due = this.hooks.nextDueAt();
      if (!due || due.getTime() > target) break;
      this.current = Math.max(this.current, due.getTime());
      await emit(this.hooks.runDue(this.now()));
      await this.hooks.release?.(this.now());
    }
    this.current = target;
    if (held.length > 0) await this.hooks.deliver(held);
    await this.hooks.release?.(this.now());
  }
}
