// Creating, listening and closing: option validation, endpoints, the real-time clock option.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSandbox, SandboxError } from '../../../src/sandbox/index.js';
import { generateMerchant } from '../../support/sandbox-harness.js';

const merchantOf = (m = generateMerchant()) => ({
  merchantId: m.merchantId,
  secretKey: m.secretKey,
  merchantPublicKey: m.publicKey,
  currency: 'SGD',
});

describe('sandbox lifecycle', () => {
  it('when options are wrong, then createSandbox throws TypeError or RangeError before anything listens', () => {
    const m = generateMerchant();
    assert.throws(() => createSandbox({ merchants: [] }), TypeError);
    assert.throws(() => createSandbox({ merchants: [{ ...merchantOf(m), merchantId: 'bad id!' }] }), TypeError);
    assert.throws(() => createSandbox({ merchants: [{ ...merchantOf(m), secretKey: '' }] }), TypeError);
    assert.throws(
      () => createSandbox({ merchants: [{ ...merchantOf(m), merchantPublicKey: m.privateKey }] }),
      TypeError,
    );
    assert.throws(() => createSandbox({ merchants: [{ ...merchantOf(m), currency: 'XYZ' }] }), RangeError);
    assert.throws(() => createSandbox({ merchants: [merchantOf(m), merchantOf(m)] }), TypeError);
    assert.throws(() => createSandbox({ merchants: [merchantOf(m)], settlementDelayMs: -1 }), RangeError);
    assert.throws(
      () => createSandbox({ merchants: [merchantOf(m)], keys: { privateKeyPem: 'x', publicKeyPem: 'y' } }),
      TypeError,
    );
    assert.throws(
      () =>
        createSandbox({
          merchants: [merchantOf(m)],
          keys: { privateKeyPem: m.privateKeyPem, publicKeyPem: generateMerchant().publicKeyPem },
        }),
      TypeError,
    );
  });

  it('when given keys, then the sandbox uses them; before listen its endpoints are refused', async () => {
    const own = generateMerchant('OWNKEYS');
    const sandbox = createSandbox({
      merchants: [merchantOf()],
      keys: { privateKeyPem: own.privateKeyPem, publicKeyPem: own.publicKeyPem },
    });
    assert.equal(sandbox.publicKeyPem, own.publicKeyPem);
    assert.throws(() => sandbox.endpoints(), SandboxError);
    const { baseUrl } = await sandbox.listen();
    assert.equal(sandbox.endpoints().pgwBase, baseUrl);
    await sandbox.close();
    await sandbox.close();
  });

  it('when realTime is on, then the clock follows real time while listening', async () => {
    const startAt = new Date('2030-01-01T00:00:00Z');
    const sandbox = createSandbox({ merchants: [merchantOf()], startAt, realTime: true });
    await sandbox.listen();
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const moved = sandbox.clock.now().getTime() - startAt.getTime();
    await sandbox.close();
    assert.ok(moved >= 900 && moved < 5000, `moved ${moved} ms`);
  });
});
