// The RSA operations of the envelopes, placed where they finish soonest. Private-key operations (PS256
// signing, RSA-OAEP unwrapping) run on this thread while they come one at a time; while callers overlap, the
// helper thread takes some, so two callers use two cores. Public-key work (wrapping the next content key,
// checking a signature while this thread unwraps a key) goes to the helper whenever it has room: a lone
// caller then waits for little more than the two private-key operations of a round trip.
import { availableParallelism } from 'node:os';
import { constants, privateDecrypt, publicEncrypt, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { RsaHelper, type HelperOperation } from './rsa-helper.js';

interface Job {
  operation: HelperOperation;
  key: KeyObject;
  data: Uint8Array;
  inline: () => Buffer;
  resolve: (result: Buffer) => void;
  reject: (error: unknown) => void;
}

/** A fresh AES key and its RSA-OAEP wrapping for one JWE. */
export interface ContentKey {
  cek: Buffer;
  encryptedKey: Buffer;
}

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;
const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' } as const;
// With one core there is nothing to run beside this thread.
const HELPER_ENABLED = availableParallelism() > 1;
// Private-key jobs at the helper at once: when it finishes one, the next is already there.
const HELPER_DEPTH = 2;
const NO_DATA = new Uint8Array(0);

const helper = new RsaHelper();
const queue: Job[] = [];
// One content key made ahead per recipient, used once, by the next JWE to that key. It is as secret as the
// keys of JWEs in progress and lives in the same memory.
const readyKeys = new WeakMap<KeyObject, ContentKey>();
const keysInMaking = new WeakSet<KeyObject>();
let privateAtHelper = 0;
let flushScheduled = false;

/** RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (JWS PS256) over `data`. */
export function signPs256(data: Uint8Array, key: KeyObject): Promise<Buffer> {
  return enqueue('sign', key, data, () => sign('sha256', data, { key, ...PSS }));
}

/** RSAES-OAEP with SHA-1 and MGF1-SHA-1 (JWE RSA-OAEP) decryption of a wrapped key. */
export function decryptRsaOaep(data: Uint8Array, key: KeyObject): Promise<Buffer> {
  return enqueue('decrypt', key, data, () => privateDecrypt({ key, ...OAEP }, data));
}

/** A random 256-bit content key wrapped with RSA-OAEP (SHA-1) to `key`, made ahead by the helper when it can be. */
export function contentKeyFor(key: KeyObject): ContentKey {
  const ready = readyKeys.get(key);
  if (ready !== undefined) readyKeys.delete(key);
  makeContentKeyAhead(key);
  if (ready !== undefined) return ready;
  const cek = randomBytes(32);
  return { cek, encryptedKey: publicEncrypt({ key, ...OAEP }, cek) };
}

/**
 * Verifies a PS256 signature. `meanwhile`: the caller runs a private-key operation before it awaits the
 * answer, so the helper may take the verification; otherwise it runs inline (a hop would cost more).
 */
export function verifyPs256(
  data: Uint8Array,
  signature: Uint8Array,
  key: KeyObject,
  meanwhile = false,
): Promise<boolean> {
  const inline = () => verify('sha256', data, { key, ...PSS }, signature);
  const posted =
    meanwhile && HELPER_ENABLED
      ? helper.post('verify', key, data, signature, () => Buffer.from([inline() ? 1 : 0]))
      : undefined;
  if (posted !== undefined) {
    scheduleFlush();
    return posted.then((result) => result[0] === 1);
  }
  try {
    return Promise.resolve(inline());
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

function makeContentKeyAhead(key: KeyObject): void {
  if (!HELPER_ENABLED || keysInMaking.has(key)) return;
  const made = helper.post('wrap', key, NO_DATA, undefined, () => {
    const cek = randomBytes(32);
    return Buffer.concat([cek, publicEncrypt({ key, ...OAEP }, cek)]);
  });
  if (made === undefined) return;
  scheduleFlush();
  keysInMaking.add(key);
  made.then(
    (result) => {
      keysInMaking.delete(key);
      readyKeys.set(key, { cek: result.subarray(0, 32), encryptedKey: result.subarray(32) });
    },
    () => keysInMaking.delete(key),
  );
}

function enqueue(operation: HelperOperation, key: KeyObject, data: Uint8Array, inline: () => Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    queue.push({ operation, key, data, inline, resolve, reject });
    scheduleFlush();
  });
}

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  // setImmediate, not a microtask: other callers' continuations run first, so the flush sees every job that
  // is ready.
  setImmediate(flush);
}

function flush(): void {
  flushScheduled = false;
  // Callers whose helper jobs just finished continue first, so their next jobs are in the queue when this
  // flush chooses what to run here and what to hand over (otherwise they would wait out an inline job).
  if (helper.collect() > 0 && queue.length < 2) {
    scheduleFlush();
    return;
  }
  // A job goes to the helper only while another waits to run here: a lone job runs inline, because the hop
  // to another thread and back costs more than it saves when nothing would run beside it.
  while (queue.length > 1 && HELPER_ENABLED && privateAtHelper < HELPER_DEPTH && toHelper(queue[0] as Job)) {
    queue.shift();
  }
  const job = queue.shift();
  if (job !== undefined) {
    try {
      job.resolve(job.inline());
    } catch (error) {
      job.reject(error);
    }
  }
  // The helper's jobs most likely finished during this one: their callers continue in this same turn.
  helper.collect();
  if (queue.length > 0) scheduleFlush();
  else helper.waitForRest();
}

function toHelper(job: Job): boolean {
  const posted = helper.post(job.operation, job.key, job.data, undefined, job.inline);
  if (posted === undefined) return false;
  privateAtHelper += 1;
  posted.then(
    (result) => {
      privateAtHelper -= 1;
      job.resolve(result);
    },
    (error: unknown) => {
      privateAtHelper -= 1;
      job.reject(error);
    },
  );
  return true;
}
