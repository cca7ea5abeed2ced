// What the client puts in RPP update/cancel and in PaymentProcess inquiry/refund status, against 2C2P's own
// samples (test/fixtures/seeds): the whole plan in the documented order, actionAmount, version 3.8.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { money } from '../../../src/domain/money.js';
import { createGatewayClient, type GatewayClientOptions } from '../../../src/gateway/client.js';
import { encodePaymentProcessResponse } from '../../../src/gateway/codecs/payment-process.js';
import {
  encodeRecurringMaintenanceResponse,
  RECURRING_REQUEST_ORDER,
} from '../../../src/gateway/codecs/recurring-maintenance.js';
import { openPaymentAction, sealPaymentAction } from '../../../src/gateway/envelopes/payment-action-envelope.js';
import type { RecurringPlanTerms } from '../../../src/gateway/recurring-plan.js';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
const seed = (name: string) => readFileSync(`test/fixtures/seeds/${name}`, 'utf8');
const sample = (text: string, root: string, processType: string) =>
  (text.match(new RegExp(`<${root}>[\\s\\S]*?</${root}>`, 'g')) ?? []).find((x) =>
    x.includes(`<processType>${processType}</processType>`),
  ) ?? '';
/** A document's elements in order, as [name, text] pairs (whitespace between tags ignored). */
const elements = (xml: string) =>
  [...xml.replace(/>\s+</g, '><').matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map((m) => [m[1] ?? '', m[2] ?? ''] as const);

/** A client whose "2C2P" records each decrypted request XML and answers 00. */
function recordingClient(options: Partial<GatewayClientOptions> = {}) {
  const sent: string[] = [];
  const fakeFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
    const xml = await openPaymentAction(String(init?.body), {
      verifyWith: merchant.publicKey,
      decryptWith: gateway.privateKey,
    });
    sent.push(xml);
    const answer = xml.startsWith('<RecurringMaintenanceRequest>')
      ? encodeRecurringMaintenanceResponse({ version: '2.4', respCode: '00', respReason: 'Update Successful' })
      : encodePaymentProcessResponse({ version: '3.8', respCode: '00', respDesc: 'Success', status: 'A' });
    const body = await sealPaymentAction(answer, { signWith: gateway.privateKey, encryptTo: merchant.publicKey });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } });
  }) as typeof fetch;
  const client = createGatewayClient({
    merchantId: 'JT01',
    keys: {
      merchantPrivateKey: merchant.privateKey,
      merchantPublicKey: merchant.publicKey,
      gatewayPublicKey: gateway.publicKey,
      secretKey: new TextEncoder().encode('secret'),
    },
    endpoints: { paymentActionBase: 'https://2c2p.test/2C2PFrontend', pgwBase: 'https://pgw.2c2p.test' },
    fetch: fakeFetch,
    ...options,
  });
  return { client, sent };
}

/** The plan of the seed's U sample (156142: 99.90 SGD every 30 days, 24 charges, no accumulation). */
const SEED_PLAN: RecurringPlanTerms = {
  recurringUniqueID: '156142',
  recurringStatus: 'Y',
  amount: money(9990, 'SGD'),
  allowAccumulate: false,
  maxAccumulateAmount: money(1000, 'SGD'),
  intervalDays: 30,
  count: 24,
  chargeNextDate: new Date('2021-04-04T00:00:00Z'),
};

describe('RPP update and cancel carry the whole plan', () => {
  const RPP = seed('002_b73b3a5fc924b3b7.txt');
  for (const [processType, call] of [
    ['U', 'recurringUpdate'],
    ['C', 'recurringCancel'],
  ] as const) {
    it(`when a ${processType} is built from a plan, then it has the 13 elements of the template in order, each filled, and the seed sample's values`, async () => {
      const { client, sent } = recordingClient({ now: () => new Date('2021-03-05T09:13:14Z'), timeZone: 'UTC' });
      await client[call](SEED_PLAN);
      const ours = elements(sent[0] ?? '').filter(([name]) => name !== 'RecurringMaintenanceRequest');
      assert.deepEqual(
        ours.map(([name]) => name),
        [...RECURRING_REQUEST_ORDER],
      );
      // An interval plan has no chargeOnDate (2C2P takes one schedule or the other); every other element is filled.
      assert.deepEqual(
        ours.filter(([, value]) => value === '').map(([name]) => name),
        ['chargeOnDate'],
      );
      const fields = Object.fromEntries(ours);
      for (const [name, value] of elements(sample(RPP, 'RecurringMaintenanceRequest', processType))) {
        if (name === 'RecurringMaintenanceRequest' || name === 'timeStamp' || name === 'recurringCount') continue;
        // The official samples leave maxAccumulateAmount (and C most elements) empty; we send what the plan holds.
        if (value === '') continue;
        assert.equal(fields[name], value, `${processType} ${name}`);
      }
      assert.equal(fields['recurringCount'], '24');
      assert.equal(fields['maxAccumulateAmount'], '000000001000');
      assert.equal(fields['chargeNextDate'], '04042021', 'ddMMyyyy, as requests write it');
    });
  }

  it('when a plan charges on a day of the month, then U sends chargeOnDate and an empty recurringInterval', async () => {
    const { client, sent } = recordingClient();
    const { intervalDays: _none, ...rest } = SEED_PLAN;
    await client.recurringUpdate({ ...rest, chargeOnDate: { day: 31, month: 1 } });
    const fields = Object.fromEntries(elements(sent[0] ?? ''));
    assert.equal(fields['chargeOnDate'], '3101');
    assert.equal(fields['recurringInterval'], '');
  });

  it('when a U lacks the count or a schedule, or gives both schedules, then it throws and nothing is sent', async () => {
    const { client, sent } = recordingClient();
    const { count: _count, ...noCount } = SEED_PLAN;
    const { intervalDays: _interval, ...noSchedule } = SEED_PLAN;
    await assert.rejects(client.recurringUpdate(noCount), TypeError);
    await assert.rejects(client.recurringUpdate(noSchedule), TypeError);
    await assert.rejects(client.recurringUpdate({ ...SEED_PLAN, chargeOnDate: { day: 1, month: 1 } }), RangeError);
    await assert.rejects(client.recurringCancel({ ...SEED_PLAN, maxAccumulateAmount: money(1, 'THB') }), RangeError);
    assert.equal(sent.length, 0);
  });
});

describe('PaymentProcess inquiry and refund status follow the samples', () => {
  const parse = (xml: string) =>
    (new XMLParser({ parseTagValue: false }).parse(xml) as { PaymentProcessRequest: Record<string, string> })
      .PaymentProcessRequest;
  const cases = [
    { name: 'inquiry', processType: 'I', doc: 'DOC-INQ', invoiceNo: '250221094450', minor: 10500, amount: '105.00' },
    { name: 'refundStatus', processType: 'RS', doc: 'DOC-RS', invoiceNo: '260121085327', minor: 2500, amount: '25.00' },
  ] as const;
  for (const c of cases) {
    it(`when ${c.name} knows the amount, then it sends version 3.8 and actionAmount ${c.amount}, as the sample does`, async () => {
      const { client, sent } = recordingClient();
      await client[c.name]({ invoiceNo: c.invoiceNo, amount: money(c.minor, 'SGD') });
      // developer.2c2p.com/docs/payment-maintenance-inquiry-guide and …-refund-status-guide:
      // <version>3.8</version><merchantID>JT07</merchantID><invoiceNo/><actionAmount/><processType/>.
      const request = parse(sent[0] ?? '');
      assert.deepEqual(
        { ...request, timeStamp: undefined },
        {
          version: '3.8',
          timeStamp: undefined,
          merchantID: 'JT01',
          processType: c.processType,
          invoiceNo: c.invoiceNo,
          actionAmount: c.amount,
        },
      );
      assert.match(request.timeStamp ?? '', /^\d{12}$/);
    });
  }

  it('when a version is configured, then every PaymentProcessRequest carries it; a malformed one is refused at creation', async () => {
    const { client, sent } = recordingClient({ paymentActionVersion: '4.3' });
    await client.refund({ invoiceNo: 'INV1', amount: money(100, 'SGD'), idempotencyID: 'R1' });
    await client.inquiry({ invoiceNo: 'INV1' });
    assert.deepEqual(
      sent.map((x) => parse(x).version),
      ['4.3', '4.3'],
    );
    assert.equal(parse(sent[1] ?? '').actionAmount, undefined, 'no amount known, no actionAmount');
    assert.throws(() => recordingClient({ paymentActionVersion: 'latest' }), RangeError);
  });
});
