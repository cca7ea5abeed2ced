// Recur-Signature: a delivery verifies under its endpoint's secret, a tampered body or header or an old timestamp
// does not, and during a rotation either secret verifies.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  signRecurPayload,
  verifyRecurSignature,
  WebhookSignatureError,
} from '../../../src/domain/webhook-signature.js';

const secret = 'whsec_current_0123456789abcdefghijklmnopqrstuv';
const previous = 'whsec_previous_0123456789abcdefghijklmnopqrstu';
const body = JSON.stringify({ id: 'evt_0123456789abcdef01234567', type: 'charge.succeeded', data: { amount: '9.90' } });
const t = 1_780_000_000;

const failsWith = (code: WebhookSignatureError['code']) => (error: unknown) =>
  error instanceof WebhookSignatureError && error.code === code;

describe('webhook signatures', () => {
  it('when a delivery is signed, then the header is t and the hex HMAC-SHA256 of "t.body" under the secret', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    assert.equal(signRecurPayload(body, [secret], t), `t=${t},v1=${expected}`);
  });

  it('when the body and header are as sent and the time is within tolerance, then it verifies', () => {
    const header = signRecurPayload(body, [secret], t);
    assert.equal(verifyRecurSignature(body, header, secret, { nowSeconds: t + 299 }), t);
    assert.equal(verifyRecurSignature(Buffer.from(body), header, secret, { nowSeconds: t }), t);
  });

  it('when one byte of the body changes, then it does not verify', () => {
    const header = signRecurPayload(body, [secret], t);
    assert.throws(
      () => verifyRecurSignature(body.replace('9.90', '9.91'), header, secret, { nowSeconds: t }),
      failsWith('ERR_SIGNATURE_MISMATCH'),
    );
  });

  it('when the timestamp or the signature in the header is altered, then it does not verify', () => {
    const header = signRecurPayload(body, [secret], t);
    const laterStamp = header.replace(`t=${t}`, `t=${t + 1}`);
    assert.throws(
      () => verifyRecurSignature(body, laterStamp, secret, { nowSeconds: t }),
      failsWith('ERR_SIGNATURE_MISMATCH'),
    );
    const flipped = header.slice(0, -1) + (header.endsWith('0') ? '1' : '0');
    assert.throws(
      () => verifyRecurSignature(body, flipped, secret, { nowSeconds: t }),
      failsWith('ERR_SIGNATURE_MISMATCH'),
    );
    assert.throws(
      () => verifyRecurSignature(body, header, 'whsec_other', { nowSeconds: t }),
      failsWith('ERR_SIGNATURE_MISMATCH'),
    );
  });

  it('when the signature is older (or newer) than the tolerance, then it does not verify: a replay is refused', () => {
    const header = signRecurPayload(body, [secret], t);
    assert.throws(
      () => verifyRecurSignature(body, header, secret, { nowSeconds: t + 301 }),
      failsWith('ERR_SIGNATURE_EXPIRED'),
    );
    assert.throws(
      () => verifyRecurSignature(body, header, secret, { nowSeconds: t - 301 }),
      failsWith('ERR_SIGNATURE_EXPIRED'),
    );
    assert.equal(verifyRecurSignature(body, header, secret, { nowSeconds: t + 3000, toleranceSeconds: 3600 }), t);
  });

  it('when the header is missing or malformed, then it says so', () => {
    for (const header of [undefined, '', 'v1=abc', `t=${t}`, `t=soon,v1=abc`, `t=${t},t=${t},v1=abc`]) {
      assert.throws(
        () => verifyRecurSignature(body, header, secret, { nowSeconds: t }),
        failsWith('ERR_SIGNATURE_HEADER'),
      );
    }
  });

  it('when a secret is being rotated, then the delivery carries two v1 and verifies under either secret', () => {
    const header = signRecurPayload(body, [secret, previous], t);
    assert.equal(header.split(',').filter((part) => part.startsWith('v1=')).length, 2);
    assert.equal(verifyRecurSignature(body, header, secret, { nowSeconds: t }), t);
    assert.equal(verifyRecurSignature(body, header, previous, { nowSeconds: t }), t);
    assert.throws(
      () => verifyRecurSignature(body, header, 'whsec_neither', { nowSeconds: t }),
      failsWith('ERR_SIGNATURE_MISMATCH'),
    );
  });

  it('when signing is asked without a secret or with a fractional time, then it is a TypeError', () => {
    assert.throws(() => signRecurPayload(body, [], t), TypeError);
    assert.throws(() => signRecurPayload(body, [secret], t + 0.5), TypeError);
  });
});
