// Where the envelopes' RSA operations run (inline on the calling thread or at the helper thread) never changes
// what they produce: signatures verify with node:crypto, unwrapped keys are the ones wrapped, and a helper that
// dies or fails leaves no caller hanging.
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, publicEncrypt, randomBytes, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { RsaHelper } from '../../../src/gateway/envelopes/rsa-helper.js';
import { RsaOperations } from '../../../src/gateway/envelopes/rsa-operations.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PSS = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
const OAEP = { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' };

// Helper programs that break on their first job: one exits with it, one answers every job with a failure.
const DIES_ON_FIRST_JOB = `
const { workerData } = require('node:worker_threads');
Atomics.wait(new Int32Array(workerData.control), workerData.layout.WAKE_INDEX, 0);
process.exit(1);
`;
const FAILS_EVERY_JOB = `
const { workerData } = require('node:worker_threads');
const { SLOTS, HEADER_INTS, FIELD, STATE, FAILED, WAKE_INDEX } = workerData.layout;
const ints = new Int32Array(workerData.control);
for (;;) {
  const seen = Atomics.load(ints, WAKE_INDEX);
  for (let slot = 0; slot < SLOTS; slot += 1) {
    const header = slot * HEADER_INTS;
    if (Atomics.load(ints, header + FIELD.state) !== STATE.posted) continue;
    ints[header + FIELD.resultLength] = FAILED;
    Atomics.store(ints, header + FIELD.state, STATE.done);
    Atomics.notify(ints, header + FIELD.state);
  }
  Atomics.wait(ints, WAKE_INDEX, seen);
}
`;

/** `callers` chains that each sign and unwrap `rounds` times, every result checked independently. */
async function overlappingCallers(operations: RsaOperations, callers = 4, rounds = 6): Promise<void> {
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      for (let round = 0; round < rounds; round += 1) {
        const data = Buffer.from(`caller ${caller}, round ${round}`);
        assert.ok(verify('sha256', data, PSS, await operations.sign(data, privateKey)));
        const cek = randomBytes(32);
        assert.deepEqual(await operations.decrypt(publicEncrypt(OAEP, cek), privateKey), cek);
      }
    }),
  );
}

describe('RSA operations: inline or at the helper', () => {
  it('when one caller awaits each operation in turn, then every private-key operation runs inline', async () => {
    const operations = new RsaOperations(new RsaHelper());
    await overlappingCallers(operations, 1);
    assert.deepEqual(operations.placements, { inline: 12, helper: 0 });
  });

  it('when callers overlap, then operations run both inline and at the helper, and every result checks out', async () => {
    const operations = new RsaOperations(new RsaHelper());
    await overlappingCallers(operations);
    assert.equal(operations.placements.inline + operations.placements.helper, 48);
    assert.ok(operations.placements.helper > 0, 'some went to the helper');
    assert.ok(operations.placements.inline > 0, 'some ran inline');
  });

  it('when there is no helper (one core), then everything runs inline with the same results', async () => {
    const operations = new RsaOperations(null);
    await overlappingCallers(operations);
    assert.deepEqual(operations.placements, { inline: 48, helper: 0 });
    const { cek, encryptedKey } = operations.contentKeyFor(publicKey);
    assert.deepEqual(await operations.decrypt(encryptedKey, privateKey), cek);
  });

  it('when a signature is checked, then good ones pass and altered ones fail', async () => {
    const operations = new RsaOperations(new RsaHelper());
    const data = Buffer.from('answer');
    const signature = await operations.sign(data, privateKey);
    const altered = Buffer.from(signature);
    altered[9] = (altered[9] ?? 0) ^ 1;
    assert.equal(operations.verify(data, signature, publicKey), true);
    assert.equal(operations.verify(data, altered, publicKey), false);
    assert.equal(operations.verify(Buffer.from('other'), signature, publicKey), false);
  });

  it('when content keys are made ahead in batches, then each unwraps to its own key and none is given twice', async () => {
    const operations = new RsaOperations(new RsaHelper());
    const keys = [];
    // More than two batches, taken both faster than the helper makes them and slower.
    for (let i = 0; i < 40; i += 1) {
      keys.push(operations.contentKeyFor(publicKey));
      if (i % 2 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    for (const { cek, encryptedKey } of keys) assert.deepEqual(await operations.decrypt(encryptedKey, privateKey), cek);
    assert.equal(new Set(keys.map(({ cek }) => cek.toString('hex'))).size, keys.length);
    assert.equal(new Set(keys.map(({ encryptedKey }) => encryptedKey.toString('hex'))).size, keys.length);
  });
});

describe('RSA operations: when the helper thread breaks', () => {
  it('when the helper dies with jobs out, then they run inline and every caller gets a correct result', async () => {
    const operations = new RsaOperations(new RsaHelper(DIES_ON_FIRST_JOB));
    await overlappingCallers(operations);
    assert.ok(operations.placements.helper > 0, 'jobs were out at the helper when it died');
  });

  it('when the helper answers every job with a failure, then its callers get an error instead of waiting', async () => {
    const operations = new RsaOperations(new RsaHelper(FAILS_EVERY_JOB));
    const data = Buffer.from('x');
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => operations.sign(data, privateKey)));
    assert.ok(operations.placements.helper > 0);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') assert.ok(verify('sha256', data, PSS, outcome.value));
      else assert.match(String(outcome.reason), /RSA operation failed/);
    }
    assert.ok(outcomes.some((outcome) => outcome.status === 'rejected'));
  });
});
