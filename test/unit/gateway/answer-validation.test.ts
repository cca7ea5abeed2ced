// Answers are read as strictly as requests are written: an RPP inquiry's chargeNextDate is yyyyMMdd (as the
// official sample, SEED-002) or a non-retryable protocol error; a numeric ISO 4217 currencyCode is its alpha code.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeBackendNotification } from '../../../src/gateway/codecs/backend-notification.js';
import {
  decodeRecurringMaintenanceResponse,
  encodeRecurringMaintenanceResponse,
  readChargeNextDate,
} from '../../../src/gateway/codecs/recurring-maintenance.js';
import { createGatewayClient } from '../../../src/gateway/client.js';
import { signHs256Payload } from '../../../src/gateway/envelopes/hs256.js';
import { sealPaymentAction } from '../../../src/gateway/envelopes/payment-action-envelope.js';
import type { RecurringMaintenanceResponse } from '../../../src/gateway/types.js';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
const secretKey = new TextEncoder().encode(`secret-${Math.random().toString(36).slice(2)}`);
const protocolError = { code: 'ERR_GATEWAY_PROTOCOL', retryable: false };

/** The official inquiry answer of SEED-002 with `chargeNextDate` replaced. */
const inquiryAnswer = (chargeNextDate: string): RecurringMaintenanceResponse => ({
  version: '2.4',
  timeStamp: '030321155002',
  merchantID: 'JT01',
  recurringUniqueID: '156142',
  respCode: '00',
  respReason: 'Inquiry Successful',
  recurringStatus: 'Y',
  invoicePrefix: '030321135205',
  currency: '702',
  amount: '000000009990',
  recurringInterval: '30',
  recurringCount: '12',
  chargeNextDate,
});

/** A client whose 2C2P answers PaymentAction with `rpp` and PGW with `pgw`. */
function clientAnswering(answers: { rpp?: RecurringMaintenanceResponse; pgw?: Record<string, unknown> }) {
  const fakeFetch = (async (url: string | URL | Request) => {
    if (String(url).includes('/payment/4.3/')) {
      return new Response(JSON.stringify({ payload: await signHs256Payload(JSON.stringify(answers.pgw), secretKey) }));
    }
    const xml = encodeRecurringMaintenanceResponse(answers.rpp!);
    return new Response(await sealPaymentAction(xml, { signWith: gateway.privateKey, encryptTo: merchant.publicKey }));
  }) as typeof fetch;
  return createGatewayClient({
    merchantId: 'JT01',
    keys: {
      merchantPrivateKey: merchant.privateKey,
      merchantPublicKey: merchant.publicKey,
      gatewayPublicKey: gateway.publicKey,
      secretKey,
    },
    endpoints: { paymentActionBase: 'https://2c2p.test/2C2PFrontend', pgwBase: 'https://pgw.2c2p.test' },
    fetch: fakeFetch,
  });
}

describe('RPP inquiry chargeNextDate', () => {
  it("when the answer's chargeNextDate is 20270115, then it is read as 2027-01-15", async () => {
    const answer = await clientAnswering({ rpp: inquiryAnswer('20270115') }).recurringInquiry({
      recurringUniqueID: '156142',
    });
    assert.equal(answer.chargeNextDate, '20270115');
    assert.equal(readChargeNextDate(answer.chargeNextDate ?? ''), '2027-01-15');
    assert.equal(readChargeNextDate('20210307'), '2021-03-07', 'the seed sample');
  });

  for (const [text, why] of [
    ['2027-01-15', 'an ISO date'],
    ['704', 'three digits'],
    ['07040115', 'a real date in the year 704'],
    ['15012027', 'the ddMMyyyy of requests'],
    ['20270230', 'an impossible date'],
  ] as const) {
    it(`when the answer's chargeNextDate is ${text} (${why}), then it is a non-retryable protocol error`, async () => {
      const client = clientAnswering({ rpp: inquiryAnswer(text) });
      await assert.rejects(client.recurringInquiry({ recurringUniqueID: '156142' }), {
        ...protocolError,
        operation: 'recurringInquiry',
      });
      assert.throws(() => readChargeNextDate(text), protocolError);
    });
  }

  it('when an update or cancel answer has no chargeNextDate, then it decodes as before', () => {
    const xml =
      '<RecurringMaintenanceResponse><version>2.4</version><timeStamp>050321091314</timeStamp><respCode>00</respCode>' +
      '<respReason>Update Successful</respReason><recurringUniqueID>156142</recurringUniqueID></RecurringMaintenanceResponse>';
    assert.equal(decodeRecurringMaintenanceResponse(xml).chargeNextDate, undefined);
  });
});

describe('currencyCode in a Payment Inquiry answer or a backend notification', () => {
  const result = { merchantID: 'JT01', invoiceNo: 'INV1', amount: '99.90', respCode: '0000', respDesc: 'Success' };

  it("when a Payment Inquiry answer's currencyCode is 702, then it is read as SGD", async () => {
    for (const currencyCode of ['702', 702, 'SGD']) {
      const answer = await clientAnswering({ pgw: { ...result, currencyCode } }).paymentInquiry({ invoiceNo: 'INV1' });
      assert.equal(answer.currencyCode, 'SGD', `currencyCode ${currencyCode}`);
    }
    const aud = await clientAnswering({ pgw: { ...result, currencyCode: 36 } }).paymentInquiry({ invoiceNo: 'INV1' });
    assert.equal(aud.currencyCode, 'AUD', 'a numeric code that lost its leading zero');
  });

  it("when a notification's currencyCode is 702, then it is read as SGD; one no table knows is a protocol error", () => {
    assert.equal(decodeBackendNotification({ ...result, currencyCode: '702' }).currencyCode, 'SGD');
    assert.equal(decodeBackendNotification({ ...result, currencyCode: '764' }).currencyCode, 'THB');
    assert.throws(() => decodeBackendNotification({ ...result, currencyCode: '999' }), protocolError);
    assert.equal(decodeBackendNotification(result).currencyCode, undefined, 'absent stays absent');
  });
});
