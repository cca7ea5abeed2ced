// The HTTP surface: /_sandbox control routes, the hosted page, path handling and request faults on the wire.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { paymentControlTarget } from '../../../src/sandbox/control-api.js';
import { callSandboxAt, startSandboxHarness, type SandboxHarness } from '../../support/sandbox-harness.js';

describe('sandbox HTTP surface', () => {
  let h: SandboxHarness;
  before(async () => {
    h = await startSandboxHarness();
  });
  after(() => h.close());

  const call = (method: string, path: string, body?: unknown) => callSandboxAt(h.baseUrl, method, path, body);

  it('when listening by default, then the sandbox is bound to 127.0.0.1', () => {
    assert.match(h.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(h.sandbox.endpoints().paymentActionBase, `${h.baseUrl}/2C2PFrontend`);
  });

  it('when the clock is read and advanced over HTTP, then it moves and bad bodies get JSON errors', async () => {
    assert.deepEqual((await call('GET', '/_sandbox/clock')).json, { now: '2025-01-15T09:00:00.000Z' });
    assert.equal((await call('POST', '/_sandbox/clock/advance', { ms: 60_000 })).json.now, '2025-01-15T09:01:00.000Z');
    assert.equal(
      (await call('POST', '/_sandbox/clock/advance', { to: '2025-01-15T10:00:00Z' })).json.now,
      '2025-01-15T10:00:00.000Z',
    );
    const back = await call('POST', '/_sandbox/clock/advance', { to: '2020-01-01T00:00:00Z' });
    assert.equal(back.status, 400);
    assert.equal(back.json.error.code, 'ERR_SANDBOX_BAD_REQUEST');
    assert.equal((await call('POST', '/_sandbox/clock/advance', 'not json')).status, 400);
    assert.equal((await call('GET', '/_sandbox/nothing')).json.error.code, 'ERR_SANDBOX_NOT_FOUND');
  });

  it('when faults are posted, read and deleted over HTTP, then the snapshot follows', async () => {
    const armed = await call('POST', '/_sandbox/faults', [
      { type: 'http5xx', operation: 'refund', count: 2 },
      { type: 'latency', ms: 1 },
    ]);
    assert.equal(armed.status, 200);
    assert.equal(armed.json.requests[0].kind, 'http5xx');
    assert.equal((await call('GET', '/_sandbox/faults')).json.latencyMs, 1);
    assert.equal((await call('POST', '/_sandbox/faults', { type: 'http5xx', status: 200 })).status, 400);
    assert.deepEqual((await call('DELETE', '/_sandbox/faults')).json.requests, []);
  });

  it('when payments are approved and declined over HTTP, then the ledger shows them and misuse gets JSON errors', async () => {
    const a = await h.token();
    const approved = await call('POST', `/_sandbox/payments/${encodeURIComponent(a.paymentToken)}/approve`, {});
    assert.equal(approved.json.result, 'approved');
    const again = await call('POST', `/_sandbox/payments/${encodeURIComponent(a.paymentToken)}/approve`);
    assert.equal(again.status, 409);
    assert.equal(again.json.error.respCode, '9041');
    const b = await h.token();
    await call('POST', `/_sandbox/payments/${encodeURIComponent(b.paymentToken)}/decline`, { respCode: '4005' });
    const ledger = (await call('GET', '/_sandbox/ledger')).json;
    assert.equal(ledger.transactions.find((t: { invoiceNo: string }) => t.invoiceNo === b.invoiceNo).respCode, '4005');
    assert.equal((await call('POST', '/_sandbox/payments/unknown/approve')).status, 404);
  });

  it('when a payment token is given raw (with +, / and =) or percent-encoded, then the control routes find it', async () => {
    // A token with each of the three characters, as 2C2P's base64 tokens have (most do; retry until one does).
    const withAll = async () => {
      for (let i = 0; i < 50; i += 1) {
        const t = await h.token();
        if (/[+]/.test(t.paymentToken) && /\//.test(t.paymentToken) && t.paymentToken.endsWith('=')) return t;
      }
      throw new Error('no token with +, / and = in 50 tries');
    };
    const raw = await withAll();
    const approved = await call('POST', `/_sandbox/payments/${raw.paymentToken}/approve`);
    assert.equal(approved.status, 200, approved.text);
    assert.deepEqual(approved.json, { paymentToken: raw.paymentToken, result: 'approved' });
    const held = await withAll();
    assert.equal(
      (await call('POST', `/_sandbox/payments/${held.paymentToken}/HOLD`, { respCode: '0001' })).json.result,
      'pending',
    );
    const encoded = await withAll();
    const declined = await call('POST', `/_sandbox/payments/${encodeURIComponent(encoded.paymentToken)}/decline`);
    assert.equal(declined.json.result, 'declined');
    const ledger = h.sandbox.ledger();
    assert.equal(ledger.transactions.find((t) => t.invoiceNo === raw.invoiceNo)?.status, 'A');
    assert.notEqual(ledger.transactions.find((t) => t.invoiceNo === encoded.invoiceNo)?.status, 'A');
    assert.equal((await call('POST', `/_sandbox/payments/${raw.paymentToken}/refund`)).status, 404);
    assert.equal((await call('POST', '/_sandbox/payments/approve')).status, 404);
    assert.equal((await call('POST', '/_sandbox/payments/abc%zz/approve')).json.error.code, 'ERR_SANDBOX_BAD_REQUEST');
  });

  it('when a control path is split, then the token is everything between the prefix and the last segment', () => {
    const cases: Array<[string, { token: string; action: string } | undefined]> = [
      ['/_sandbox/payments/ab+c//d/e==/approve', { token: 'ab+c//d/e==', action: 'approve' }],
      ['/_sandbox/payments/ab%2Bc%2F%2Fd%2Fe%3D%3D/decline', { token: 'ab+c//d/e==', action: 'decline' }],
      ['/_SANDBOX/Payments/x/Hold', { token: 'x', action: 'hold' }],
      ['/_sandbox/payments/x/refund', undefined],
      ['/_sandbox/payments//approve', undefined],
      ['/_sandbox/payments/approve', undefined],
      ['/_sandbox/clock/advance', undefined],
    ];
    for (const [path, expected] of cases) assert.deepEqual(paymentControlTarget(path), expected, path);
  });

  it('when the public key is fetched, then it is the sandbox public key PEM', async () => {
    const res = await call('GET', '/_sandbox/keys/public.pem');
    assert.equal(res.text, h.sandbox.publicKeyPem);
    assert.match(res.text, /^-----BEGIN PUBLIC KEY-----/);
  });

  it('when the hosted page is opened and its Approve button posted, then the payment is approved', async () => {
    const { webPaymentUrl, invoiceNo } = await h.token({ description: '<b>Gold</b> & co' });
    const page = await fetch(webPaymentUrl);
    const html = await page.text();
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(html, new RegExp(invoiceNo));
    assert.match(html, /&#60;b&#62;Gold&#60;\/b&#62; &#38; co/);
    assert.match(html, /value="approve"/);
    const posted = await fetch(webPaymentUrl, { method: 'POST', body: new URLSearchParams({ action: 'approve' }) });
    assert.match(await posted.text(), /Payment approved/);
    assert.equal(h.sandbox.ledger().transactions.find((t) => t.invoiceNo === invoiceNo)?.status, 'A');
    assert.equal(
      (await fetch(webPaymentUrl, { method: 'POST', body: new URLSearchParams({ action: 'approve' }) })).status,
      409,
    );
  });

  it('when gateway paths differ in case, then they still route; unknown paths 404 and GET on an API 405', async () => {
    const reply = await h.post('/PAYMENT/4.3/PAYMENTTOKEN', JSON.stringify({ payload: 'x' }), 'application/json');
    assert.equal(JSON.parse(reply.text).respCode, '6103');
    assert.equal((await call('GET', '/payment/4.3/paymentToken')).status, 405);
    assert.equal((await call('POST', '/PaymentAction/2.0/action', 'x')).status, 404);
  });

  it('when request faults are armed, then 5xx, garbage and held connections reach the caller', async () => {
    const inquiry = async () =>
      fetch(`${h.baseUrl}/payment/4.3/paymentInquiry`, {
        method: 'POST',
        body: JSON.stringify({ payload: await validInquiryJwt() }),
      });
    h.sandbox.faults.http5xx({ status: 502 });
    assert.equal(
      (await h.post('/payment/4.3/paymentToken', JSON.stringify({ payload: 'a.b.c' }))).status,
      200,
      'a malformed request is answered (6103) without consuming the fault',
    );
    const failed = await inquiry();
    assert.equal(failed.status, 502);
    assert.match(failed.headers.get('content-type') ?? '', /^text\/plain/);
    h.sandbox.faults.garbage({ operation: 'paymentInquiry' });
    const garbage = await inquiry();
    assert.equal(garbage.status, 200);
    assert.doesNotMatch(await garbage.text(), /payload/);
    h.sandbox.faults.timeout({ holdMs: 200 });
    const started = Date.now();
    const held = await inquiry().catch((e: unknown) => e);
    assert.ok(held instanceof Error, 'a held connection is closed without an answer');
    assert.ok(Date.now() - started >= 150);
    h.sandbox.faults.setLatency(100);
    const slow = Date.now();
    assert.equal((await inquiry()).status, 200);
    assert.ok(Date.now() - slow >= 90);
    h.sandbox.faults.setLatency(0);
  });

  async function validInquiryJwt(): Promise<string> {
    const { signHs256Payload } = await import('../../../src/gateway/envelopes/hs256.js');
    return signHs256Payload(JSON.stringify({ merchantID: h.merchant.merchantId, invoiceNo: 'X' }), h.merchant.secret);
  }
});
