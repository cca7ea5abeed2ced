// The sandbox reads a payment token's paymentExpiry as the wall clock of its zone (default Asia/Bangkok, as
// TWOC2P_TIMEZONE): an expiry already past there is 9008, a future one is the token's expiry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSandbox } from '../../../src/sandbox/index.js';
import {
  generateMerchant,
  nextInvoiceNo,
  startSandboxHarness,
  type SandboxHarness,
} from '../../support/sandbox-harness.js';

// Every harness starts at 2025-01-15T09:00:00Z: 16:00 in Bangkok.
const tokenRequest = (h: SandboxHarness, paymentExpiry: string) =>
  h.pgw('paymentToken', { invoiceNo: nextInvoiceNo(), description: 'item 1', amount: 10, paymentExpiry });
const expiryOf = (h: SandboxHarness, paymentToken: unknown) =>
  h.sandbox.ledger().paymentTokens.find((t) => t.paymentToken === paymentToken)?.expiresAt;

describe('sandbox paymentExpiry in its time zone', () => {
  let bangkok: SandboxHarness;
  let utc: SandboxHarness;
  before(async () => {
    bangkok = await startSandboxHarness();
    utc = await startSandboxHarness({ timeZone: 'UTC' });
  });
  after(async () => {
    await bangkok.close();
    await utc.close();
  });

  it('when the expiry is a Bangkok time already past, then the default sandbox refuses it with 9008', async () => {
    // 15:59:59 in Bangkok is a second ago; read as UTC it would be seven hours ahead.
    const reply = await tokenRequest(bangkok, '2025-01-15 15:59:59');
    assert.equal(reply.claims, undefined);
    assert.equal(reply.body['respCode'], '9008');
  });

  it('when the expiry is a later Bangkok time, then the token expires at that instant', async () => {
    const reply = await tokenRequest(bangkok, '2025-01-15 16:30:00');
    assert.equal(reply.claims?.['respCode'], '0000');
    assert.equal(expiryOf(bangkok, reply.claims?.['paymentToken']), '2025-01-15T09:30:00.000Z');
  });

  it('when a UTC-written expiry an hour ahead reaches the Bangkok sandbox, then it is already past (9008)', async () => {
    assert.equal((await tokenRequest(bangkok, '2025-01-15 10:00:00')).body['respCode'], '9008');
    const reply = await tokenRequest(utc, '2025-01-15 10:00:00');
    assert.equal(reply.claims?.['respCode'], '0000', 'a sandbox configured for UTC reads it as UTC');
    assert.equal(expiryOf(utc, reply.claims?.['paymentToken']), '2025-01-15T10:00:00.000Z');
  });

  it('when the sandbox is given a zone Intl does not know, then it is refused at creation', () => {
    const merchant = generateMerchant();
    const merchants = [
      {
        merchantId: merchant.merchantId,
        secretKey: merchant.secretKey,
        merchantPublicKey: merchant.publicKey,
        currency: 'SGD',
      },
    ];
    assert.throws(() => createSandbox({ merchants, timeZone: 'Mars/Olympus' }), RangeError);
  });
});
