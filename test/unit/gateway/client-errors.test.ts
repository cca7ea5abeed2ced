// The client against a scripted 2C2P (a fetch that counts requests): input it can refuse itself never
// leaves the process, and every bad answer becomes the typed error its retry decision depends on.
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { CompactEncrypt, CompactSign } from 'jose';
import { money, parseMoney } from '../../../src/domain/money.js';
import {
  decodePaymentProcessRequest,
  encodePaymentProcessResponse,
} from '../../../src/gateway/codecs/payment-process.js';
import { createGatewayClient, type GatewayClient } from '../../../src/gateway/client.js';
import { openPaymentAction, sealPaymentAction } from '../../../src/gateway/envelopes/payment-action-envelope.js';
import { signJws } from '../../../src/gateway/envelopes/jws.js';
import type { GatewayExchange } from '../../../src/gateway/http-transport.js';
import { classifyPaymentActionCode, classifyPgwCode } from '../../../src/gateway/response-codes.js';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SECRET = `secret-${Math.random().toString(36).slice(2)}`;
const merchantPem = merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

type Answer = (body: string, url: string) => Promise<Response> | Response;

/** A client whose "2C2P" is `answer`; `sent()` counts the requests that reached it. */
function clientAgainst(answer: Answer, timeoutMs = 5_000) {
  let count = 0;
  const exchanges: GatewayExchange[] = [];
  const fakeFetch = (async (url: string | URL | Request, init?: RequestInit) => {
    count += 1;
    const signal = init?.signal;
    const body = String(init?.body ?? '');
    return Promise.race([
      Promise.resolve(answer(body, String(url))),
      new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true })),
    ]);
  }) as typeof fetch;
  const client: GatewayClient = createGatewayClient({
    merchantId: 'JT01',
    keys: {
      merchantPrivateKey: merchant.privateKey,
      merchantPublicKey: merchant.publicKey,
      gatewayPublicKey: gateway.publicKey,
      secretKey: new TextEncoder().encode(SECRET),
    },
    endpoints: { paymentActionBase: 'https://2c2p.test/2C2PFrontend', pgwBase: 'https://pgw.2c2p.test' },
    timeoutMs,
    fetch: fakeFetch,
    observer: (e) => exchanges.push(e),
  });
  return { client, sent: () => count, exchanges };
}

const RESPONSE = {
  version: '3.8',
  timeStamp: '230926120000',
  respCode: '00',
  respDesc: 'Success',
  processType: 'I',
  invoiceNo: 'INV1',
  amount: '10.00',
  status: 'A',
};
const sealedAnswer = (fields: Record<string, string> = {}, signWith = gateway.privateKey) =>
  sealPaymentAction(encodePaymentProcessResponse({ ...RESPONSE, ...fields } as never), {
    signWith,
    encryptTo: merchant.publicKey,
  });
/** An answer that comes too late: a real socket would keep the event loop alive meanwhile, this timer does. */
const never = () => new Promise<Response>((resolve) => setTimeout(() => resolve(ok('too late')), 2_000));
const ok = (text: string, status = 200) => new Response(text, { status, headers: { 'content-type': 'text/plain' } });
const inquiry = (client: GatewayClient) => client.inquiry({ invoiceNo: 'INV1', amount: money(1000, 'SGD') });

describe('gateway client: input it refuses itself', () => {
  it('when an amount is negative, not a number or not whole minor units, then it throws before anything is sent', async () => {
    const { client, sent } = clientAgainst(() => ok(''));
    assert.throws(() => parseMoney('10.005', 'SGD'), RangeError, 'three decimals for a two-decimal currency');
    assert.throws(() => parseMoney('abc', 'SGD'), RangeError);
    for (const minor of [-100, Number.NaN, 10.5, Number.POSITIVE_INFINITY]) {
      await assert.rejects(
        client.refund({ invoiceNo: 'INV1', amount: { minor, currency: 'SGD' }, idempotencyID: 'R1' }),
        /amount/,
      );
    }
    await assert.rejects(client.refund({ invoiceNo: 'INV1', amount: { minor: 100, currency: 'XXX' } }), /amount/);
    await assert.rejects(client.inquiry({ invoiceNo: 'bad\u0000invoice' }), /control characters/);
    const plan = { recurringStatus: 'Y', amount: money(990, 'SGD'), allowAccumulate: false } as const;
    await assert.rejects(client.recurringCancel({ ...plan, recurringUniqueID: '12ab' }), /recurringUniqueID/);
    await assert.rejects(client.paymentInquiry({}), /invoiceNo or paymentToken/);
    assert.equal(sent(), 0, 'nothing reached the gateway');
  });

  it('when a value carries XML markup, then it is escaped on the wire and reaches 2C2P unchanged', async () => {
    let received = '';
    const { client } = clientAgainst(async (body) => {
      received = await openPaymentAction(body, { verifyWith: merchant.publicKey, decryptWith: gateway.privateKey });
      return ok(await sealedAnswer());
    });
    const invoiceNo = 'INV<1>&"2\'';
    await client.inquiry({ invoiceNo });
    assert.ok(received.includes('<invoiceNo>INV&lt;1&gt;&amp;&quot;2&apos;</invoiceNo>'), received);
    assert.equal(decodePaymentProcessRequest(received).invoiceNo, invoiceNo);
  });
});

describe('gateway client: answers it must not trust', () => {
  const protocolError = { code: 'ERR_GATEWAY_PROTOCOL', retryable: false };
  const cases: Array<[string, () => Promise<string> | string]> = [
    [
      'a tampered signature',
      async () => {
        const token = await sealedAnswer();
        const sig = token.slice(token.lastIndexOf('.') + 1);
        return `${token.slice(0, token.lastIndexOf('.') + 1)}${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
      },
    ],
    ['a token signed by the wrong key', () => sealedAnswer({}, stranger.privateKey)],
    [
      'a 5-part token where 3 are expected',
      async () =>
        (await sealedAnswer()).split('.')[1]
          ? Buffer.from((await sealedAnswer()).split('.')[1] ?? '', 'base64url').toString()
          : '',
    ],
    [
      'an RS256 signature',
      async () => {
        const jwe = await new CompactEncrypt(new TextEncoder().encode(encodePaymentProcessResponse(RESPONSE as never)))
          .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM' })
          .encrypt(merchant.publicKey);
        return new CompactSign(new TextEncoder().encode(jwe))
          .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
          .sign(gateway.privateKey);
      },
    ],
    [
      'an A128GCM content encryption',
      async () => {
        const jwe = await new CompactEncrypt(new TextEncoder().encode(encodePaymentProcessResponse(RESPONSE as never)))
          .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A128GCM' })
          .encrypt(merchant.publicKey);
        return signJws(jwe, gateway.privateKey);
      },
    ],
  ];
  for (const [what, body] of cases) {
    it(`when 2C2P's answer is ${what}, then a non-retryable protocol error`, async () => {
      const text = await body();
      const { client, sent } = clientAgainst(() => ok(text));
      await assert.rejects(inquiry(client), protocolError);
      assert.equal(sent(), 1);
    });
  }

  // Chaos run: a garbled body on the payment token failed a checkout that a second try would have made.
  for (const [what, body] of [
    ['a truncated token', async () => (await sealedAnswer()).slice(0, 200)],
    ['a non-JOSE body', () => '<html><body>Service error</body></html>'],
  ] as const) {
    it(`when 2C2P's answer is ${what}, then a retryable unavailable error, as for an answer lost on the way`, async () => {
      const text = await body();
      const { client, sent } = clientAgainst(() => ok(text));
      await assert.rejects(inquiry(client), { code: 'ERR_GATEWAY_UNAVAILABLE', retryable: true });
      assert.equal(sent(), 1);
    });
  }

  it('when 2C2P answers with extra kid and typ headers, then the answer is accepted', async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode(encodePaymentProcessResponse(RESPONSE as never)))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: 'merchant-key' })
      .encrypt(merchant.publicKey);
    const token = await new CompactSign(new TextEncoder().encode(jwe))
      .setProtectedHeader({ alg: 'PS256', typ: 'JOSE', kid: 'default' })
      .sign(gateway.privateKey);
    const { client } = clientAgainst(() => ok(token));
    assert.equal((await inquiry(client)).respCode, '00');
  });

  it('when 2C2P answers HTTP 503, or 500 with a plain-text body, then a retryable unavailable error', async () => {
    for (const status of [503, 500]) {
      const { client } = clientAgainst(() => ok('Internal Server Error', status));
      await assert.rejects(inquiry(client), { code: 'ERR_GATEWAY_UNAVAILABLE', retryable: true });
    }
  });

  it('when 2C2P does not answer within the timeout, then a retryable timeout error', async () => {
    const { client } = clientAgainst(never, 100);
    await assert.rejects(inquiry(client), { code: 'ERR_GATEWAY_TIMEOUT', retryable: true });
  });

  it('when a refund without idempotencyID loses its answer, then the outcome is unknown, not retried blindly', async () => {
    const { client } = clientAgainst(never, 100);
    await assert.rejects(client.refund({ invoiceNo: 'INV1', amount: money(100, 'SGD') }), {
      code: 'ERR_GATEWAY_OUTCOME_UNKNOWN',
      retryable: false,
    });
  });

  it('when 2C2P declines, then the error carries respCode, description and its classification', async () => {
    const expectations: Array<[string, string, boolean]> = [
      ['42', 'pending', false],
      ['99', 'retryable', true],
      ['16', 'not-found', false],
      ['45', 'declined-final', false],
    ];
    for (const [respCode, classification, retryable] of expectations) {
      const answer = await sealedAnswer({ respCode, respDesc: classifyPaymentActionCode(respCode).description });
      const { client } = clientAgainst(() => ok(answer));
      await assert.rejects(inquiry(client), { code: 'ERR_GATEWAY_DECLINED', respCode, classification, retryable });
    }
    assert.equal(classifyPgwCode('0000').classification, 'success');
    assert.equal(classifyPgwCode('0001').classification, 'pending');
    assert.equal(classifyPgwCode('0999').classification, 'retryable');
    assert.equal(classifyPgwCode('4051').classification, 'declined-final');
    assert.equal(classifyPaymentActionCode('77').classification, 'declined-final', 'an unknown code is never retried');
  });

  it('when a retried refund is answered 49 or 51, then the outcome is unknown (follow by refund status), not a failure', async () => {
    const expectations: Array<[string, string, boolean]> = [
      ['49', 'outcome-unknown', false],
      ['51', 'outcome-unknown', false],
      ['95', 'retryable', true],
    ];
    for (const [respCode, classification, retryable] of expectations) {
      const answer = await sealedAnswer({ processType: 'R', respCode, respDesc: '' });
      const { client } = clientAgainst(() => ok(answer));
      await assert.rejects(client.refund({ invoiceNo: 'INV1', amount: money(1000, 'SGD'), idempotencyID: 'INV1-R1' }), {
        code: 'ERR_GATEWAY_DECLINED',
        operation: 'refund',
        respCode,
        respDesc: classifyPaymentActionCode(respCode).description,
        classification,
        retryable,
      });
    }
  });
});

describe('gateway client: the exchange observer', () => {
  it('when calls succeed and fail, then every exchange is observed with status and timing, and never a key or the secret', async () => {
    const answers = [async () => ok(await sealedAnswer()), () => ok('nope', 503)];
    let call = 0;
    const { client, exchanges } = clientAgainst(() => answers[call++ % answers.length]!());
    await inquiry(client);
    await assert.rejects(inquiry(client));
    await client.paymentInquiry({ invoiceNo: 'INV1' }).catch(() => {});
    assert.equal(exchanges.length, 3);
    assert.deepEqual(exchanges.map((e) => [e.operation, e.httpStatus]).slice(0, 2), [
      ['inquiry', 200],
      ['inquiry', 503],
    ]);
    assert.ok(exchanges.every((e) => e.durationMs >= 0 && typeof e.startedAt === 'string' && e.request));
    assert.equal((exchanges[0]?.response as { respCode?: string } | undefined)?.respCode, '00');
    assert.equal(exchanges[1]?.error?.code, 'ERR_GATEWAY_UNAVAILABLE');
    const observed = JSON.stringify(exchanges);
    assert.ok(!observed.includes(SECRET), 'the HS256 secret');
    const pemBody = merchantPem.split('\n')[1] ?? '';
    assert.ok(pemBody.length > 40 && !observed.includes(pemBody.slice(0, 40)), 'the private key');
    assert.ok(
      !observed.includes(
        createPublicKey(merchant.privateKey).export({ type: 'spki', format: 'pem' }).toString().split('\n')[1] ?? 'x',
      ),
    );
  });
});
