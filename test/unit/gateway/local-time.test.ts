// The local date-times 2C2P reads: paymentExpiry and timeStamp written in the configured zone, by the wire
// format functions and by the client itself (against a scripted 2C2P that records what it was sent).
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { money } from '../../../src/domain/money.js';
import { calendarDateIn, checkTimeZone } from '../../../src/domain/time-zone.js';
import { formatDdMMyyHHmmss, formatPaymentExpiry, parsePaymentExpiry } from '../../../src/domain/wire-dates.js';
import { createGatewayClient } from '../../../src/gateway/client.js';
import { decodePaymentProcessRequest } from '../../../src/gateway/codecs/payment-process.js';
import { peekClaims, signHs256Payload } from '../../../src/gateway/envelopes/hs256.js';
import { openPaymentAction } from '../../../src/gateway/envelopes/payment-action-envelope.js';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
const secretKey = new TextEncoder().encode(`secret-${Math.random().toString(36).slice(2)}`);
const at = (iso: string) => new Date(iso);

describe('paymentExpiry and timeStamp in a time zone', () => {
  it('when an expiry is written for Asia/Bangkok, then it is the UTC+7 wall clock, midnight crossed', () => {
    assert.equal(formatPaymentExpiry(at('2027-01-15T03:04:05Z'), 'Asia/Bangkok'), '2027-01-15 10:04:05');
    assert.equal(formatPaymentExpiry(at('2027-01-14T18:30:00Z'), 'Asia/Bangkok'), '2027-01-15 01:30:00');
    assert.equal(formatPaymentExpiry(at('2027-01-15T03:04:05Z'), 'UTC'), '2027-01-15 03:04:05');
    assert.equal(formatDdMMyyHHmmss(at('2027-01-14T18:30:00Z'), 'Asia/Bangkok'), '150127013000');
    assert.equal(formatDdMMyyHHmmss(at('2027-01-14T18:30:00Z')), '140127183000', 'UTC stays the default');
  });

  it('when an expiry is written for America/New_York across the DST changes, then the offset follows the date', () => {
    const zone = 'America/New_York';
    assert.equal(formatPaymentExpiry(at('2027-03-14T06:59:59Z'), zone), '2027-03-14 01:59:59', 'EST, UTC-5');
    assert.equal(formatPaymentExpiry(at('2027-03-14T07:00:00Z'), zone), '2027-03-14 03:00:00', 'EDT, UTC-4');
    assert.equal(formatPaymentExpiry(at('2027-11-07T05:30:00Z'), zone), '2027-11-07 01:30:00');
    assert.equal(formatPaymentExpiry(at('2027-11-07T06:30:00Z'), zone), '2027-11-07 01:30:00', 'the repeated hour');
  });

  it('when an expiry is read in a zone, then it gives back the instant, and a skipped or impossible time is refused', () => {
    for (const [iso, zone] of [
      ['2027-01-14T18:30:00Z', 'Asia/Bangkok'],
      ['2027-03-14T07:00:00Z', 'America/New_York'],
      ['2027-06-30T23:59:59Z', 'UTC'],
    ] as const) {
      assert.equal(parsePaymentExpiry(formatPaymentExpiry(at(iso), zone), zone).toISOString(), at(iso).toISOString());
    }
    assert.equal(parsePaymentExpiry('2027-01-15 10:00:00', 'Asia/Bangkok').toISOString(), '2027-01-15T03:00:00.000Z');
    assert.equal(
      parsePaymentExpiry('2027-11-07 01:30:00', 'America/New_York').toISOString(),
      '2027-11-07T05:30:00.000Z',
      'of the repeated hour, the earlier instant',
    );
    assert.throws(() => parsePaymentExpiry('2027-03-14 02:30:00', 'America/New_York'), RangeError, 'skipped by DST');
    for (const text of ['2027-02-29 10:00:00', '2027-01-15 24:00:00', '2027-01-15T10:00:00', '0099-01-15 10:00:00'])
      assert.throws(() => parsePaymentExpiry(text, 'Asia/Bangkok'), RangeError, text);
  });

  it('when a zone name is not IANA, then it is refused; today in Bangkok is a day ahead from 17:00 UTC', () => {
    assert.equal(checkTimeZone('Asia/Bangkok'), 'Asia/Bangkok');
    for (const name of ['+07:00', 'GMT+7', 'Mars/Olympus', '', 7]) assert.throws(() => checkTimeZone(name), RangeError);
    assert.equal(calendarDateIn(at('2027-01-14T16:59:59Z'), 'Asia/Bangkok'), '2027-01-14');
    assert.equal(calendarDateIn(at('2027-01-14T17:00:00Z'), 'Asia/Bangkok'), '2027-01-15');
  });
});

/** A client whose 2C2P answers every request and records the claims and XML it was sent. */
function recordingClient(timeZone?: string) {
  const sent: { claims: Record<string, unknown>[]; xml: string[] } = { claims: [], xml: [] };
  const fakeFetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const body = String(init?.body ?? '');
    if (String(url).endsWith('/paymentToken')) {
      sent.claims.push(peekClaims((JSON.parse(body) as { payload: string }).payload));
      const answer = { paymentToken: 'tok', webPaymentUrl: 'https://pay.test/tok', respCode: '0000', respDesc: 'ok' };
      return new Response(JSON.stringify({ payload: await signHs256Payload(JSON.stringify(answer), secretKey) }));
    }
    sent.xml.push(await openPaymentAction(body, { verifyWith: merchant.publicKey, decryptWith: gateway.privateKey }));
    return new Response('not answered', { status: 503 });
  }) as typeof fetch;
  const client = createGatewayClient({
    merchantId: 'JT01',
    keys: {
      merchantPrivateKey: merchant.privateKey,
      merchantPublicKey: merchant.publicKey,
      gatewayPublicKey: gateway.publicKey,
      secretKey,
    },
    endpoints: { paymentActionBase: 'https://2c2p.test/2C2PFrontend', pgwBase: 'https://pgw.2c2p.test' },
    fetch: fakeFetch,
    now: () => at('2027-01-14T18:30:00Z'),
    ...(timeZone ? { timeZone } : {}),
  });
  return { client, sent };
}

const link = (paymentExpiry: Date) => ({
  invoiceNo: 'INV1',
  description: 'Pro plan',
  amount: money(2990, 'SGD'),
  paymentExpiry,
});

describe('gateway client: local date-times on the wire', () => {
  it('when no zone is configured, then paymentExpiry and timeStamp are Asia/Bangkok wall clock', async () => {
    const { client, sent } = recordingClient();
    await client.paymentToken(link(at('2027-01-15T18:30:00Z')));
    assert.equal(sent.claims[0]?.['paymentExpiry'], '2027-01-16 01:30:00');
    await assert.rejects(client.inquiry({ invoiceNo: 'INV1' }), { code: 'ERR_GATEWAY_UNAVAILABLE' });
    assert.equal(decodePaymentProcessRequest(sent.xml[0] ?? '').timeStamp, '150127013000');
  });

  it('when America/New_York is configured, then the expiry is written in its summer or winter offset', async () => {
    const { client, sent } = recordingClient('America/New_York');
    await client.paymentToken(link(at('2027-03-14T06:59:59Z')));
    await client.paymentToken(link(at('2027-03-15T06:59:59Z')));
    assert.deepEqual(
      sent.claims.map((c) => c['paymentExpiry']),
      ['2027-03-14 01:59:59', '2027-03-15 02:59:59'],
    );
  });

  it('when the configured zone is not one Intl knows, then the client is refused before anything is sent', () => {
    assert.throws(() => recordingClient('Asia/Bangkokk'), RangeError);
  });
});
