// The RSA operations of the envelopes, placed where they finish soonest. A private-key operation (PS256
// signing, RSA-OAEP unwrapping) runs on this thread when it is the only one ready, so a lone caller pays no
// hop; when callers overlap, all but one of the ready operations go to the helper thread, so two callers use
// two cores. Public-key work (wrapping the next content key ahead, checking a signature while this thread
// unwraps a key) goes to the helper while it would otherwise idle.
import { availableParallelism } from 'node:os';
import { constants, privateDecrypt, publicEncrypt, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { RsaHelper, type HelperJob } from './rsa-helper.js';

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
const NO_DATA = new Uint8Array(0);

/** Places RSA operations on this thread or the helper thread (no helper on a one-core machine). */
export class RsaOperations {
  /** Where private-key operations ran so far (tests and the benchmark read it). */
  readonly placements: Placements = { inline: 0, helper: 0 };
  readonly #helper: RsaHelper | null;
  readonly #queue: HelperJob[] = [];
  // One content key made ahead per recipient, used once, by the next JWE to that key. It is as secret as the
  // keys of JWEs in progress and lives in the same memory.
  readonly #readyKeys = new WeakMap<KeyObject, ContentKey>();
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
    if (ready !== undefined) this.#readyKeys.delete(key);
    this.#makeContentKeyAhead(key);
    if (ready !== undefined) return ready;
    const cek = randomBytes(32);
    return { cek, encryptedKey: publicEncrypt({ key, ...OAEP }, cek) };
  }

  /**
   * Verifies a PS256 signature. `meanwhile`: the caller runs a private-key operation before it awaits the
   * answer, so the helper takes the verification while it holds no private-key job (it would delay that job's
   * caller); otherwise, and without `meanwhile`, it runs inline (a hop would cost more than it saves).
   */
  verify(data: Uint8Array, signature: Uint8Array, key: KeyObject, meanwhile = false): Promise<boolean> {
    const inline = () => verify('sha256', data, { key, ...PSS }, signature);
    if (meanwhile && this.#privateAtHelper === 0 && this.#helper !== null) {
      const { promise, resolve, reject } = settlement<Buffer>();
      const job = { operation: 'verify', key, data, signature, resolve, reject } as const;
      if (this.#helper.post({ ...job, inline: () => Buffer.from([inline() ? 1 : 0]) })) {
        this.#scheduleFlush();
        return promise.then((result) => result[0] === 1);
      }
    }
    try {
      return Promise.resolve(inline());
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  #makeContentKeyAhead(key: KeyObject): void {
    if (this.#helper === null || this.#keysInMaking.has(key)) return;
    const wrap = () => {
      const cek = randomBytes(32);
      return Buffer.concat([cek, publicEncrypt({ key, ...OAEP }, cek)]);
    };
    const made = (result: Buffer) => {
      this.#keysInMaking.delete(key);
      this.#readyKeys.set(key, { cek: result.subarray(0, 32), encryptedKey: result.subarray(32) });
    };
    const failed = () => this.#keysInMaking.delete(key);
    // The next JWE is a round trip away: the helper makes its key when next woken for something else.
    const job = { operation: 'wrap', key, data: NO_DATA, inline: wrap, resolve: made, reject: failed } as const;
    if (!this.#helper.post(job, { wake: false })) return;
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
/** PS256 verification on the process's shared placement; see {@link RsaOperations.verify}. */
export const verifyPs256 = (data: Uint8Array, signature: Uint8Array, key: KeyObject, meanwhile = false) =>
  shared.verify(data, signature, key, meanwhile);
