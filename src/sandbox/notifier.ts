// Delivers backend notifications over HTTP with bounded retries, applying notification faults (one-shot and chaos:
// drop, duplicate, reorder, delay) and recording each one; delayed ones are held until the clock passes their time.
import type { SandboxFaults } from './faults.js';
import type { SandboxNotificationOptions } from './types.js';

/** A notification ready to send; `encode` builds the signed body at send time. */
export interface OutgoingNotification {
  readonly kind: 'payment' | 'recurring' | 'refund';
  readonly merchantId: string;
  readonly url: string | undefined;
  readonly invoiceNo: string;
  readonly respCode: string;
  readonly recurringUniqueID?: string;
  readonly recurringSequenceNo?: number;
  /** Sandbox time of the event that caused it. */
  readonly at: Date;
  /** The decoded content (masked card data only), kept in the ledger. */
  readonly content: Readonly<Record<string, string>>;
  encode(): Promise<{ contentType: string; body: string }>;
}

/** One delivery attempt (real time, since delivery happens in real time). */
export interface DeliveryAttempt {
  readonly at: string;
  readonly httpStatus?: number;
  readonly error?: string;
}

/** The ledger entry of one notification. */
export interface NotificationRecord extends Omit<OutgoingNotification, 'encode'> {
  readonly id: number;
  readonly attempts: DeliveryAttempt[];
  delivered: boolean;
  readonly dropped: boolean;
  readonly duplicate: boolean;
  /** Set on a notification chaos delayed: sandbox time from which the clock delivers it. */
  readonly heldUntil?: Date;
}

interface HeldNotification {
  readonly out: OutgoingNotification;
  readonly record: NotificationRecord;
  readonly releaseAt: number;
}

/** The stable chaos key of a notification: what it is about and its result. */
function chaosKey(out: OutgoingNotification): string {
  return `${out.kind}|${out.merchantId}|${out.invoiceNo}|${out.respCode}`;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The lane a notification is sent in: one per recurring plan (or per invoice outside a plan). A lane's
 * notifications go one after another, in batch order; different lanes go side by side.
 */
function laneOf(out: OutgoingNotification): string {
  return `${out.merchantId}|${out.recurringUniqueID ?? out.invoiceNo}`;
}

interface PendingSend {
  readonly out: OutgoingNotification;
  readonly record: NotificationRecord;
}

/**
 * Sends notifications in order per plan, several plans at a time; never waits longer than
 * attempts × (timeout + delay) per notification.
 */
export class Notifier {
  readonly records: NotificationRecord[] = [];
  private held: HeldNotification[] = [];
  private readonly attempts: number;
  private readonly timeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly concurrency: number;

  constructor(
    private readonly faults: SandboxFaults,
    opts: SandboxNotificationOptions = {},
  ) {
    this.attempts = opts.attempts ?? 3;
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.retryDelayMs = opts.retryDelayMs ?? 50;
    this.concurrency = opts.concurrency ?? 8;
    if (!Number.isInteger(this.attempts) || this.attempts < 1)
      throw new RangeError('notifications.attempts must be >= 1');
    if (!(this.timeoutMs > 0)) throw new RangeError('notifications.timeoutMs must be > 0');
    if (!(this.retryDelayMs >= 0)) throw new RangeError('notifications.retryDelayMs must be >= 0');
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1)
      throw new RangeError('notifications.concurrency must be >= 1');
  }

  /**
   * Delivers a batch in order per plan (reversed while the out-of-order fault is on, then as chaos reorders
   * it); resolves when every send has ended. A notification chaos delays is recorded now and held for `release`.
   */
  async deliver(batch: readonly OutgoingNotification[]): Promise<void> {
    const mode = this.faults.notificationMode();
    const ordered = mode.outOfOrder ? [...batch].reverse() : batch;
    const sends: PendingSend[] = [];
    for (const out of this.faults.reorderNotifications(ordered, chaosKey)) {
      const fate = this.faults.takeNotificationFate(chaosKey(out));
      const releaseAt = fate.delayMs === undefined ? undefined : out.at.getTime() + fate.delayMs;
      const heldUntil = releaseAt === undefined ? undefined : new Date(releaseAt);
      const records = [this.record(out, fate.dropped, false, heldUntil)];
      if (fate.duplicate && !fate.dropped) records.push(this.record(out, false, true, heldUntil));
      for (const record of records) {
        if (releaseAt === undefined) sends.push({ out, record });
        else this.held.push({ out, record, releaseAt });
      }
    }
    await this.sendInLanes(sends);
  }

  /** Sends every held notification due by `untilMs` (sandbox time), earliest first; how many were sent. */
  async release(untilMs: number): Promise<number> {
    const due = this.held
      .filter((h) => h.releaseAt <= untilMs)
      .sort((a, b) => a.releaseAt - b.releaseAt || a.record.id - b.record.id);
    if (due.length === 0) return 0;
    this.held = this.held.filter((h) => !due.includes(h));
    await this.sendInLanes(due);
    return due.length;
  }

  /** The earliest sandbox time a held notification is due, if any is held. */
  nextReleaseAt(): Date | undefined {
    const first = this.held.reduce<number | undefined>(
      (min, h) => Math.min(min ?? h.releaseAt, h.releaseAt),
      undefined,
    );
    return first === undefined ? undefined : new Date(first);
  }

  /** Holds a notification again whose record (restored from a state file) was held and never sent. */
  rearm(out: OutgoingNotification, record: NotificationRecord): void {
    if (!record.heldUntil) throw new TypeError('only a held notification can be re-armed');
    this.held.push({ out, record, releaseAt: record.heldUntil.getTime() });
  }

  private record(
    out: OutgoingNotification,
    dropped: boolean,
    duplicate: boolean,
    heldUntil: Date | undefined,
  ): NotificationRecord {
    const record: NotificationRecord = {
      id: this.records.length + 1,
      kind: out.kind,
      merchantId: out.merchantId,
      url: out.url,
      invoiceNo: out.invoiceNo,
      respCode: out.respCode,
      at: out.at,
      content: out.content,
      attempts: [],
      delivered: false,
      dropped,
      duplicate,
      ...(out.recurringUniqueID === undefined ? {} : { recurringUniqueID: out.recurringUniqueID }),
      ...(out.recurringSequenceNo === undefined ? {} : { recurringSequenceNo: out.recurringSequenceNo }),
      ...(heldUntil === undefined ? {} : { heldUntil }),
    };
    this.records.push(record);
    return record;
  }

  /** Sends each lane's notifications in order, up to `concurrency` lanes at a time. */
  private async sendInLanes(sends: readonly PendingSend[]): Promise<void> {
    const lanes = new Map<string, PendingSend[]>();
    for (const pending of sends) {
      const key = laneOf(pending.out);
      const lane = lanes.get(key);
      if (lane) lane.push(pending);
      else lanes.set(key, [pending]);
    }
    const waiting = [...lanes.values()].reverse();
    const drain = async (): Promise<void> => {
      for (let lane = waiting.pop(); lane !== undefined; lane = waiting.pop()) {
        for (const { out, record } of lane) await this.send(out, record);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, waiting.length) }, drain));
  }

  private async send(out: OutgoingNotification, record: NotificationRecord): Promise<void> {
    if (record.dropped) return;
    if (!out.url) {
      record.attempts.push({ at: new Date().toISOString(), error: 'no backendReturnUrl configured' });
      return;
    }
    const { contentType, body } = await out.encode();
    for (let attempt = 1; attempt <= this.attempts; attempt += 1) {
      if (attempt > 1) await wait(this.retryDelayMs);
      const at = new Date().toISOString();
      try {
        const res = await fetch(out.url, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        record.attempts.push({ at, httpStatus: res.status });
        if (res.ok) {
          record.delivered = true;
          return;
        }
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        record.attempts.push({ at, error: name === 'TimeoutError' ? 'timeout' : 'connection failed' });
      }
    }
  }
}
