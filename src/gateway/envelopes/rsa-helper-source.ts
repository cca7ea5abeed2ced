// The helper thread's program and the shared-memory layout it and rsa-helper.ts agree on. Kept as CommonJS
// source run with `eval: true`: the thread needs no loader, so it starts the same under tsx and plain node.

/** Slots that can hold a job at once; each is one header of Int32 fields, then data and result bytes. */
export const SLOTS = 6;
/** Largest data a slot takes (a signing input); larger jobs run inline. */
export const DATA_BYTES = 32 * 1024;
/** Largest result: a batch of content keys with their wrappings (16 × (32 + 256) bytes for RSA-2048). */
export const RESULT_BYTES = 16 * 1024;
/** Int32 fields of a slot header. */
export const FIELD = { state: 0, op: 1, keyId: 2, dataLength: 3, resultLength: 4 } as const;
export const HEADER_INTS = 8;
/** Slot states; only this thread moves FREE → POSTED and DONE → FREE, only the helper POSTED → DONE. */
export const STATE = { free: 0, posted: 1, done: 2 } as const;
export const OP = { sign: 1, decrypt: 2, wrap: 3 } as const;
/** resultLength of a failed operation (no detail crosses: the caller reports a generic failure). */
export const FAILED = -1;
/** Index, after the slots, of the counter this thread bumps to wake the helper. */
export const WAKE_INDEX = SLOTS * HEADER_INTS;
/** Index of the flag this thread sets while callers overlap: only then does the helper spin between jobs. */
export const SPIN_INDEX = WAKE_INDEX + 1;
export const CONTROL_INTS = SPIN_INDEX + 1;
export const SLOT_BYTES = DATA_BYTES + RESULT_BYTES;
/**
 * How long the helper keeps looking for work after a job, while callers overlap, before it sleeps: waking a
 * sleeping thread costs the waker about 12 µs on a 2-vCPU VM, and overlapping callers post again within tens of
 * µs. A lone caller posts twice per round trip, 250 µs apart: spinning would only take a core from others.
 */
export const SPIN_MS = 0.2;

/** The helper: runs posted jobs, spins briefly while callers overlap, then sleeps until this thread posts again. */
export const HELPER_SOURCE = `
'use strict';
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const { control, bytes, port, layout } = workerData;
const { SLOTS, HEADER_INTS, SLOT_BYTES, DATA_BYTES, FIELD, STATE, OP, FAILED, WAKE_INDEX, SPIN_INDEX, SPIN_MS } = layout;
const ints = new Int32Array(control);
const memory = new Uint8Array(bytes);
const keys = new Map();
const PSS = { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
const OAEP = { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };

function readKeys() {
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    if (m.message.forget !== undefined) keys.delete(m.message.forget);
    else keys.set(m.message.keyId, m.message.key);
  }
}

function compute(op, key, data) {
  switch (op) {
    case OP.sign: return crypto.sign('sha256', data, { key, ...PSS });
    case OP.decrypt: return crypto.privateDecrypt({ key, ...OAEP }, data);
    case OP.wrap: {
      // data[0] fresh content keys, each followed by its wrapping.
      const made = [];
      for (let i = 0; i < data[0]; i += 1) {
        const cek = crypto.randomBytes(32);
        made.push(cek, crypto.publicEncrypt({ key, ...OAEP }, cek));
      }
      return Buffer.concat(made);
    }
  }
  throw new Error('unknown operation');
}

function run(slot) {
  const header = slot * HEADER_INTS;
  const base = slot * SLOT_BYTES;
  const keyId = ints[header + FIELD.keyId];
  if (!keys.has(keyId)) readKeys();
  const dataLength = ints[header + FIELD.dataLength];
  const data = memory.subarray(base, base + dataLength);
  let length = FAILED;
  try {
    const result = compute(ints[header + FIELD.op], keys.get(keyId), data);
    memory.set(result, base + DATA_BYTES);
    length = result.length;
  } catch {}
  ints[header + FIELD.resultLength] = length;
  Atomics.store(ints, header + FIELD.state, STATE.done);
  Atomics.notify(ints, header + FIELD.state);
}

for (let spinUntil = 0; ; ) {
  const seen = Atomics.load(ints, WAKE_INDEX);
  let worked = false;
  for (let slot = 0; slot < SLOTS; slot += 1) {
    if (Atomics.load(ints, slot * HEADER_INTS + FIELD.state) === STATE.posted) {
      run(slot);
      worked = true;
    }
  }
  if (worked && Atomics.load(ints, SPIN_INDEX) === 1) spinUntil = performance.now() + SPIN_MS;
  else if (performance.now() > spinUntil) {
    readKeys();
    Atomics.wait(ints, WAKE_INDEX, seen);
  }
}
`;
