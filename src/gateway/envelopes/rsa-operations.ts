// The RSA operations of the envelopes, placed where they finish soonest. A private-key operation (PS256
// signing, RSA-OAEP unwrapping) runs on this thread when it is the only one ready, so a lone caller pays no
// hop; when callers overlap, all but one of the ready operations go to the helper thread, so two callers use
// two cores. Content keys are wrapped ahead at the helper, a batch per wake-up. Signatures are checked
// inline: a check costs about 30 µs, less than waking a sleeping helper and waiting for it on a VM.
import { availableParallelism } from 'node:os';
import { constants, privateDecrypt, publicEncrypt, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { RsaHelper, type HelperJob } from './rsa-helper.js';
import { RESULT_BYTES } from './rsa-helper-source.js';

/** A fresh AES key and its RSA-OAEP wrapping for one JWE. */
export interface ContentKey {
  cek: Buffer;
  encryptedKey: Buffer;
}

/** How many private-key operations ran on the calling thread and how many at the helper. */
export interface Placements {
  inline: number;
  helper: number;
}

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;
const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' } as const;
// Private-key jobs at the helper at once: when it finishes one, the next is already there.
const HELPER_DEPTH = 2;
// How long this thread may spin, after an inline job, for the helper's jobs to finish (they began before it).
const SETTLE_SPIN_MS = 0.15;
// Content keys wrapped per helper job, and how few may be left per recipient before the next batch is asked for
// (a batch takes the helper about 0.5 ms; a lone caller seals once per round trip, about 1.5 ms).
const KEYS_PER_BATCH = 16;
const KEYS_LOW_WATER = 4;
const CEK_BYTES = 32;

/** Places RSA operations on this thread or the helper thread (no helper on a one-core machine). */
export class RsaOperations {
  /** Where private-key operations ran so far (tests and the benchmark read it). */
  readonly placements: Placements = { inline: 0, helper: 0 };
  readonly #helper: RsaHelper | null;
  readonly #queue: HelperJob[] = [];
  // Content keys made ahead per recipient, each used once, by a later JWE to that key. They are as secret as
  // the keys of JWEs in progress and live in the same memory.
  readonly #readyKeys = new WeakMap<KeyObject, ContentKey[]>();
  readonly #keysInMaking = new WeakSet<KeyObject>();
  #privateAtHelper = 0;
  #flushScheduled = false;

  /** `helper`: where overlapping work goes; null runs everything on the calling thread. */
  constructor(helper: RsaHelper | null = availableParallelism() > 1 ? new RsaHelper() : null) {
    this.#helper = helper;
  }

  /** RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (JWS PS256) over `data`. */
  sign(data: Uint8Array, key: KeyObject): Promise<Buffer> {
    return this.#enqueue('sign', key, data, () => sign('sha256', data, { key, ...PSS }));
  }

  /** RSAES-OAEP with SHA-1 and MGF1-SHA-1 (JWE RSA-OAEP) decryption of a wrapped key. */
  decrypt(data: Uint8Array, key: KeyObject): Promise<Buffer> {
    return this.#enqueue('decrypt', key, data, () => privateDecrypt({ key, ...OAEP }, data));
  }

  /** A random 256-bit content key wrapped with RSA-OAEP (SHA-1) to `key`, made ahead by the helper when it can be. */
  contentKeyFor(key: KeyObject): ContentKey {
    const ready = this.#readyKeys.get(key);
    const made = ready?.pop();
    if ((ready?.length ?? 0) <= KEYS_LOW_WATER) this.#makeContentKeysAhead(key);
    if (made !== undefined) return made;
    const cek = randomBytes(CEK_BYTES);
    return { cek, encryptedKey: publicEncrypt({ key, ...OAEP }, cek) };
  }

  /** Verifies a PS256 signature, inline. */
  verify(data: Uint8Array, signature: Uint8Array, key: KeyObject): boolean {
    return verify('sha256', data, { key, ...PSS }, signature);
  }

  #makeContentKeysAhead(key: KeyObject): void {
    if (this.#helper === null || this.#keysInMaking.has(key)) return;
    const wrappedBytes = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8);
    const keyBytes = CEK_BYTES + wrappedBytes;
    const count = Math.min(KEYS_PER_BATCH, Math.floor(RESULT_BYTES / keyBytes));
    const made = (result: Buffer) => {
      this.#keysInMaking.delete(key);
      const ready = this.#readyKeys.get(key) ?? [];
      for (let at = 0; at + keyBytes <= result.length; at += keyBytes) {
        ready.push({
          cek: result.subarray(at, at + CEK_BYTES),
          encryptedKey: result.subarray(at + CEK_BYTES, at + keyBytes),
        });
      }
      this.#readyKeys.set(key, ready);
    };
    const failed = () => this.#keysInMaking.delete(key);
    // Should the helper die with the batch, no key is made inline: the next JWEs wrap their own.
    const none = () => Buffer.alloc(0);
    const job = {
      operation: 'wrap',
      key,
      data: Uint8Array.of(count),
      inline: none,
      resolve: made,
      reject: failed,
    } as const;
    if (!this.#helper.post(job)) return;
    this.#keysInMaking.add(key);
    this.#scheduleFlush();
  }

  #enqueue(operation: 'sign' | 'decrypt', key: KeyObject, data: Uint8Array, inline: () => Buffer): Promise<Buffer> {
    const { promise, resolve, reject } = settlement<Buffer>();
    this.#queue.push({ operation, key, data, inline, resolve, reject });
    this.#scheduleFlush();
    return promise;
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // setImmediate, not a microtask: other callers' continuations run first, so the flush sees every job that
    // is ready (and the event loop turns between inline operations).
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const helper = this.#helper;
    const atHelper = this.#privateAtHelper;
    helper?.collect();
    // A caller whose job just came back from the helper continues first, so its next job joins this batch
    // rather than wait out an inline one while the helper idles.
    if (this.#privateAtHelper < atHelper && this.#queue.length < 2) return this.#scheduleFlush();
    // Overlapping callers post again within tens of µs: the helper waits awake for them.
    helper?.spinBetweenJobs(this.#queue.length > 1 || this.#privateAtHelper > 0);
    // All but one of the ready jobs go to the helper while it has room; the last runs here. A lone job runs
    // here too: the hop to another thread and back costs more than it saves when nothing runs beside it.
    while (this.#queue.length > 1 && this.#privateAtHelper < HELPER_DEPTH && this.#toHelper(this.#queue[0])) {
      this.#queue.shift();
    }
    const job = this.#queue.shift();
    if (job !== undefined) this.#runInline(job);
    // The helper's jobs began before this one and are about done: their callers continue in this same turn, and
    // overlapping callers reach the next flush together. (With jobs still queued, there is work here instead.)
    if (job !== undefined && this.#queue.length === 0) helper?.collectWithin(SETTLE_SPIN_MS);
    else helper?.collect();
    if (this.#queue.length > 0) this.#scheduleFlush();
    else helper?.waitForRest();
  }

  #runInline(job: HelperJob): void {
    this.placements.inline += 1;
    try {
      job.resolve(job.inline());
    } catch (error) {
      job.reject(error);
    }
  }

  #toHelper(job: HelperJob | undefined): boolean {
    if (job === undefined || this.#helper === null) return false;
    const settled = () => (this.#privateAtHelper -= 1);
    const posted = this.#helper.post({
      ...job,
      resolve: (result) => (settled(), job.resolve(result)),
      reject: (error) => (settled(), job.reject(error)),
    });
    if (!posted) return false;
    this.#privateAtHelper += 1;
    this.placements.helper += 1;
    return true;
  }
}

function settlement<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const shared = new RsaOperations();

/** RSASSA-PSS (JWS PS256) signature of `data`, on the process's shared placement. */
export const signPs256 = (data: Uint8Array, key: KeyObject): Promise<Buffer> => shared.sign(data, key);
/** RSA-OAEP (SHA-1) unwrapping of a JWE content key, on the process's shared placement. */
export const decryptRsaOaep = (data: Uint8Array, key: KeyObject): Promise<Buffer> => shared.decrypt(data, key);
/** A fresh content key wrapped to `key`, from the process's shared placement. */
export const contentKeyFor = (key: KeyObject): ContentKey => shared.contentKeyFor(key);
/** PS256 verification, inline. */
export const verifyPs256 = (data: Uint8Array, signature: Uint8Array, key: KeyObject): boolean =>
  shared.verify(data, signature, key);
