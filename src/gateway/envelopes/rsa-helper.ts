// This thread's side of the RSA helper thread: jobs go into shared memory (nothing to serialize, no event-loop
// hop), results are collected synchronously whenever this thread looks, and waiters armed after a round of
// work cover the times it does not look again.
import type { KeyObject } from 'node:crypto';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import {
  CONTROL_INTS,
  DATA_BYTES,
  FAILED,
  FIELD,
  HEADER_INTS,
  HELPER_SOURCE,
  OP,
  SLOT_BYTES,
  SLOTS,
  SPIN_INDEX,
  SPIN_MS,
  STATE,
  WAKE_INDEX,
} from './rsa-helper-source.js';

/** The operations the helper runs; `wrap` makes `data[0]` fresh content keys, each with its RSA-OAEP wrapping. */
export type HelperOperation = keyof typeof OP;

/** One operation for the helper, settled by `collect()`, or run inline should the helper die with it. */
export interface HelperJob {
  operation: HelperOperation;
  key: KeyObject;
  data: Uint8Array;
  /** The same operation on this thread. */
  inline: () => Buffer;
  resolve: (result: Buffer) => void;
  reject: (error: unknown) => void;
}

// Atomics.waitAsync is in Node 20, its type only in lib ES2024.
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** The helper thread: started on first use, kept referenced only while a job is out, replaced by inline work if it dies. */
export class RsaHelper {
  readonly #source: string;
  #ints: Int32Array | undefined;
  #memory: Uint8Array | undefined;
  #port: MessagePort | undefined;
  #worker: Worker | undefined;
  #failed = false;
  #busy = 0;
  #nextKeyId = 1;
  readonly #jobs: Array<HelperJob | undefined> = Array.from({ length: SLOTS }, () => undefined);
  readonly #waiting = new WeakSet<HelperJob>();
  readonly #keyIds = new WeakMap<KeyObject, number>();
  readonly #forget = new FinalizationRegistry<number>((keyId) => this.#port?.postMessage({ forget: keyId }));

  /** `source`: the thread's program; tests give one that dies, to see the inline fallback. */
  constructor(source: string = HELPER_SOURCE) {
    this.#source = source;
  }

  /**
   * Posts a job and wakes the helper; false when it cannot take the job (no free slot, data too large, helper
   * gone): the caller then runs it inline.
   */
  post(job: HelperJob): boolean {
    if (this.#failed || job.data.length > DATA_BYTES) return false;
    const slot = this.#jobs.indexOf(undefined);
    if (slot < 0) return false;
    const { ints, memory } = this.#shared();
    const header = slot * HEADER_INTS;
    const base = slot * SLOT_BYTES;
    memory.set(job.data, base);
    ints[header + FIELD.op] = OP[job.operation];
    ints[header + FIELD.keyId] = this.#keyIdOf(job.key);
    ints[header + FIELD.dataLength] = job.data.length;
    Atomics.store(ints, header + FIELD.state, STATE.posted);
    // The counter moves before the notify, so a helper about to sleep sees the job.
    Atomics.add(ints, WAKE_INDEX, 1);
    Atomics.notify(ints, WAKE_INDEX);
    if (this.#busy === 0) this.#worker?.ref();
    this.#busy += 1;
    this.#jobs[slot] = job;
    return true;
  }

  /** Whether the helper spins between jobs (callers overlap) or sleeps at once (a lone caller). */
  spinBetweenJobs(spin: boolean): void {
    if (this.#ints !== undefined) Atomics.store(this.#ints, SPIN_INDEX, spin ? 1 : 0);
  }

  /**
   * Arms a waiter on every job still out, so its result is collected even if this thread looks no more.
   * Done after a round of work rather than at each post: most results are collected before they would be
   * needed.
   */
  waitForRest(): void {
    const ints = this.#ints;
    if (this.#busy === 0 || ints === undefined) return;
    for (const [slot, job] of this.#jobs.entries()) {
      if (job === undefined || this.#waiting.has(job)) continue;
      this.#waiting.add(job);
      const waiting = waitAsync(ints, slot * HEADER_INTS + FIELD.state, STATE.posted);
      if (waiting.async)
        waiting.value.then(
          () => this.collect(),
          () => this.collect(),
        );
      else this.collect();
    }
  }

  /**
   * Waits up to `ms`, spinning, until the helper has finished every job out a caller waits on, then settles
   * them. For jobs posted before an inline operation, so nearly done: a spinning waiter sees the result within a
   * µs, a sleeping one (futex or waitAsync) only after a wake-up that takes tens of µs on a VM, sometimes a
   * millisecond. A batch of content keys is no one's answer: it is collected when done, never waited for.
   */
  collectWithin(ms: number): void {
    const ints = this.#ints;
    if (this.#busy === 0 || ints === undefined) return;
    const deadline = performance.now() + ms;
    for (let slot = 0; slot < SLOTS; slot += 1) {
      const state = slot * HEADER_INTS + FIELD.state;
      const job = this.#jobs[slot];
      if (job?.operation === 'wrap') continue;
      while (job !== undefined && Atomics.load(ints, state) === STATE.posted) {
        if (performance.now() > deadline) return this.collect();
      }
    }
    this.collect();
  }

  /** Settles every job the helper has finished, now (their callbacks run before this returns). */
  collect(): void {
    const ints = this.#ints;
    const memory = this.#memory;
    if (this.#busy === 0 || ints === undefined || memory === undefined) return;
    for (let slot = 0; slot < SLOTS; slot += 1) {
      const job = this.#jobs[slot];
      const header = slot * HEADER_INTS;
      if (job === undefined || Atomics.load(ints, header + FIELD.state) !== STATE.done) continue;
      const length = ints[header + FIELD.resultLength] ?? FAILED;
      const start = slot * SLOT_BYTES + DATA_BYTES;
      const result = length === FAILED ? undefined : Buffer.from(memory.subarray(start, start + length));
      // A result may be a content key: it does not stay in shared memory. (The data is what goes on the wire.)
      if (length > 0) memory.fill(0, start, start + length);
      Atomics.store(ints, header + FIELD.state, STATE.free);
      this.#release(slot);
      if (result === undefined) job.reject(new Error('RSA operation failed'));
      else job.resolve(result);
    }
  }

  #shared(): { ints: Int32Array; memory: Uint8Array } {
    if (this.#ints !== undefined && this.#memory !== undefined) return { ints: this.#ints, memory: this.#memory };
    const control = new SharedArrayBuffer(CONTROL_INTS * Int32Array.BYTES_PER_ELEMENT);
    const bytes = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
    const { port1, port2 } = new MessageChannel();
    const layout = {
      SLOTS,
      HEADER_INTS,
      SLOT_BYTES,
      DATA_BYTES,
      FIELD,
      STATE,
      OP,
      FAILED,
      WAKE_INDEX,
      SPIN_INDEX,
      SPIN_MS,
    };
    const worker = new Worker(this.#source, {
      eval: true,
      execArgv: [],
      workerData: { control, bytes, port: port2, layout },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    worker.on('error', () => this.#fail());
    worker.on('exit', () => this.#fail());
    this.#worker = worker;
    this.#port = port1;
    this.#ints = new Int32Array(control);
    this.#memory = new Uint8Array(bytes);
    return { ints: this.#ints, memory: this.#memory };
  }

  // A key crosses to the helper once (KeyObjects clone between threads); jobs then name it by number.
  #keyIdOf(key: KeyObject): number {
    let keyId = this.#keyIds.get(key);
    if (keyId === undefined) {
      keyId = this.#nextKeyId++;
      this.#keyIds.set(key, keyId);
      this.#forget.register(key, keyId);
      this.#port?.postMessage({ keyId, key });
    }
    return keyId;
  }

  // A job out holds the process open: its caller awaits it.
  #release(slot: number): void {
    this.#jobs[slot] = undefined;
    if (--this.#busy === 0) this.#worker?.unref();
  }

  // The operations are pure: whatever the helper had not answered is done here instead.
  #fail(): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#port?.close();
    for (const [slot, job] of this.#jobs.entries()) {
      if (job === undefined) continue;
      this.#release(slot);
      try {
        job.resolve(job.inline());
      } catch (error) {
        job.reject(error);
      }
    }
  }
}
