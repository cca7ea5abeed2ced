// End-to-end tests of `recur 2c2p`: the real bin against an in-process 2C2P sandbox, for every op and bad input.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { json, recur, startCountingServer, type CountingServer, type RecurResult } from './support.js';

const MERCHANT_ID = 'JT01CLITEST';
const START = new Date('2026-01-01T00:00:00Z');
const HOUR = 60 * 60 * 1000;

let dir: string;
let sandbox: Sandbox;
let env: NodeJS.ProcessEnv;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'recur-cli-'));
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const secretKey = randomBytes(32).toString('hex');
  const merchantKeyPath = join(dir, 'merchant-private.pem');
  writeFileSync(merchantKeyPath, merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  sandbox = createSandbox({
    merchants: [{ merchantId: MERCHANT_ID, secretKey, merchantPublicKey: merchant.publicKey, currency: 'SGD' }],
    startAt: START,
  });
  const { baseUrl } = await sandbox.listen(0, '127.0.0.1');
  const gatewayKeyPath = join(dir, 'sandbox-public.pem');
  writeFileSync(gatewayKeyPath, sandbox.publicKeyPem);
  env = {
    TWOC2P_MERCHANT_ID: MERCHANT_ID,
    TWOC2P_MERCHANT_PRIVATE_KEY: merchantKeyPath,
    TWOC2P_GATEWAY_PUBLIC_KEY: gatewayKeyPath,
    TWOC2P_SECRET_KEY: secretKey,
    TWOC2P_PAYMENT_ACTION_BASE: `${baseUrl}/2C2PFrontend`,
    TWOC2P_PGW_BASE: baseUrl,
  };
});

after(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Asserts a failed run: the exit code and exactly one `recur: …` line on stderr matching `pattern`. */
function assertOneLineFailure(result: RecurResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, `stderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line, got: ${result.stderr}`);
  assert.match(lines[0] ?? '', /^recur: /);
  assert.match(lines[0] ?? '', pattern);
}

describe('recur 2c2p against the sandbox', () => {
  let recurringUniqueID = '';
  let customerToken = '';

  it('when asked for the balance, then it prints the decoded balance response', async () => {
    const response = json(await recur(['2c2p', 'balance'], env));
    assert.equal(response['respCode'], '00');
    assert.equal(response['currency'], 'SGD');
  });

  it('when a recurring payment token is created and paid, then payment-inquiry reports the payment', async () => {
    const created = json(
      await recur(
        [
          '2c2p',
          'payment-token',
          '--invoice',
          'INVR1',
          '--amount',
          '99.90',
          '--description',
          'Gold plan',
          '--recurring',
          '--invoice-prefix',
          'GOLDR1',
          '--interval',
          '30',
          '--count',
          '12',
          '--charge-next-date',
          '2026-01-31',
          '--allow-accumulate',
          '--max-accumulate-amount',
          '299.70',
        ],
        env,
      ),
    );
    assert.equal(created['respCode'], '0000');
    const paymentToken = created['paymentToken'];
    assert.equal(typeof paymentToken, 'string');
    await sandbox.approvePayment(paymentToken as string);

    const byToken = json(await recur(['2c2p', 'payment-inquiry', '--payment-token', paymentToken as string], env));
    assert.equal(byToken['respCode'], '0000');
    assert.equal(byToken['invoiceNo'], 'INVR1');
    const byInvoice = json(await recur(['2c2p', 'payment-inquiry', '--invoice', 'INVR1'], env));
    assert.equal(byInvoice['respCode'], '0000');

    const plan = sandbox.ledger().plans.find((p) => p.invoicePrefix === 'GOLDR1');
    assert.ok(plan, 'the paid recurring token created no plan');
    assert.equal(plan.intervalDays, 30);
    recurringUniqueID = plan.recurringUniqueID;
    const tx = sandbox.ledger().transactions.find((t) => t.invoiceNo === 'INVR1');
    assert.ok(tx?.customerToken, 'the recurring payment stored no customer token');
    customerToken = tx.customerToken;
  });

  it('when the transaction is inquired and settled, then both answer 00 for the invoice', async () => {
    const inquiry = json(await recur(['2c2p', 'inquiry', '--invoice', 'INVR1'], env));
    assert.equal(inquiry['respCode'], '00');
    assert.equal(inquiry['invoiceNo'], 'INVR1');
    const settled = json(await recur(['2c2p', 'settle', '--invoice', 'INVR1', '--amount', '99.90'], env));
    assert.equal(settled['respCode'], '00');
  });

  it('when a settled transaction is partly refunded, then refund and refund-status report it', async () => {
    await sandbox.clock.advance(25 * HOUR);
    const refund = json(
      await recur(['2c2p', 'refund', '--invoice', 'INVR1', '--amount', '10.00', '--idempotency-id', 'RF-INVR1-1'], env),
    );
    assert.equal(refund['respCode'], '00');
    const status = json(await recur(['2c2p', 'refund-status', '--invoice', 'INVR1'], env));
    assert.equal(status['respCode'], '00');
    assert.match(JSON.stringify(status), /10\.00/);
  });

  it('when a payment uses a stored customer token and is voided before settlement, then void answers 00', async () => {
    const created = json(
      await recur(
        ['2c2p', 'payment-token', '--invoice', 'INVV1', '--amount', '25.00', '--customer-token', customerToken],
        env,
      ),
    );
    await sandbox.approvePayment(created['paymentToken'] as string, { customerToken });
    const voided = json(await recur(['2c2p', 'void', '--invoice', 'INVV1', '--amount', '25.00'], env));
    assert.equal(voided['respCode'], '00');
    assert.equal(sandbox.ledger().transactions.find((t) => t.invoiceNo === 'INVV1')?.status, 'V');
  });

  it('when --customer-token is repeated, then every token is sent (an unknown one is declined with 9202)', async () => {
    const result = await recur(
      [
        '2c2p',
        'payment-token',
        '--invoice',
        'INVV2',
        '--amount',
        '5.00',
        '--customer-token',
        customerToken,
        '--customer-token',
        'NOSUCHTOKEN',
      ],
      env,
    );
    assertOneLineFailure(result, 1, /ERR_GATEWAY_DECLINED.*9202/);
  });

  it('when the recurring plan is inquired, updated and cancelled, then each call answers 00', async () => {
    const inquiry = json(await recur(['2c2p', 'rpp-inquiry', '--id', recurringUniqueID], env));
    assert.equal(inquiry['respCode'], '00');
    assert.equal(inquiry['recurringUniqueID'], recurringUniqueID);
    const update = json(
      await recur(['2c2p', 'rpp-update', '--id', recurringUniqueID, '--amount', '49.90', '--interval', '15'], env),
    );
    assert.equal(update['respCode'], '00');
    const plan = sandbox.ledger().plans.find((p) => p.recurringUniqueID === recurringUniqueID);
    assert.equal(plan?.amount.minor, 4990);
    assert.equal(plan?.intervalDays, 15);
    // What the flags do not name is sent as the inquiry reported it, not emptied.
    assert.deepEqual(
      [plan?.count, plan?.allowAccumulate, plan?.maxAccumulateAmount.minor, plan?.recurringStatus],
      [12, true, 29970, 'Y'],
    );
    // The inquiry comes first: when it fails, the cancel is never sent and the plan stays active.
    sandbox.faults.http5xx({ operation: 'recurringInquiry', count: 1 });
    assertOneLineFailure(
      await recur(['2c2p', 'rpp-cancel', '--id', recurringUniqueID], env),
      1,
      /ERR_GATEWAY_UNAVAILABLE/,
    );
    assert.equal(sandbox.ledger().plans.find((p) => p.recurringUniqueID === recurringUniqueID)?.recurringStatus, 'Y');
    const cancel = json(await recur(['2c2p', 'rpp-cancel', '--id', recurringUniqueID], env));
    assert.equal(cancel['respCode'], '00');
    assert.equal(sandbox.ledger().plans.find((p) => p.recurringUniqueID === recurringUniqueID)?.recurringStatus, 'N');
  });

  it('when the gateway declines, then one line names the typed error code and the respCode', async () => {
    const result = await recur(['2c2p', 'inquiry', '--invoice', 'NOSUCHINVOICE'], env);
    assertOneLineFailure(result, 1, /ERR_GATEWAY_DECLINED.*16/);
  });
});

describe('recur 2c2p with bad input', () => {
  let counter: CountingServer;
  let badEnv: NodeJS.ProcessEnv;

  before(async () => {
    counter = await startCountingServer();
    badEnv = {
      ...env,
      TWOC2P_PAYMENT_ACTION_BASE: `${counter.baseUrl}/2C2PFrontend`,
      TWOC2P_PGW_BASE: counter.baseUrl,
    };
  });

  after(async () => {
    await counter?.close();
  });

  const cases: Array<{ title: string; args: string[]; env?: NodeJS.ProcessEnv; code: number; pattern: RegExp }> = [
    {
      title: 'an amount with three decimals',
      args: ['2c2p', 'refund', '--invoice', 'INV1', '--amount', '99.999'],
      code: 2,
      pattern: /--amount: 99\.999 is not a valid SGD amount/,
    },
    { title: 'an unknown op', args: ['2c2p', 'frobnicate'], code: 2, pattern: /unknown 2c2p op frobnicate/ },
    {
      title: 'a missing --invoice',
      args: ['2c2p', 'void', '--amount', '1.00'],
      code: 2,
      pattern: /--invoice is required/,
    },
    { title: 'an unknown flag', args: ['2c2p', 'inquiry', '--invoce', 'X'], code: 2, pattern: /--invoce/ },
    {
      title: 'a flag the op does not take',
      args: ['2c2p', 'balance', '--invoice', 'X'],
      code: 2,
      pattern: /--invoice does not apply to balance/,
    },
    {
      title: 'an impossible date',
      args: ['2c2p', 'rpp-update', '--id', 'R1', '--charge-next-date', '2026-02-30'],
      code: 2,
      pattern: /--charge-next-date/,
    },
    {
      title: 'a negative amount',
      args: ['2c2p', 'void', '--invoice', 'INV1', '--amount', '-1.00'],
      code: 2,
      pattern: /--amount/,
    },
    { title: 'an unknown command', args: ['frobnicate'], code: 2, pattern: /unknown command frobnicate/ },
    {
      title: 'a merchant key path that does not exist',
      args: ['2c2p', 'balance'],
      env: { TWOC2P_MERCHANT_PRIVATE_KEY: '/nonexistent/merchant.pem' },
      code: 1,
      pattern: /invalid configuration: TWOC2P_MERCHANT_PRIVATE_KEY: cannot read \/nonexistent\/merchant\.pem/,
    },
    {
      title: 'several missing variables',
      args: ['2c2p', 'balance'],
      env: { TWOC2P_MERCHANT_ID: '', TWOC2P_SECRET_KEY: '' },
      code: 1,
      pattern: /TWOC2P_MERCHANT_ID: is required; TWOC2P_SECRET_KEY: is required/,
    },
  ];
  for (const c of cases) {
    it(`when given ${c.title}, then it prints one line and exits non-zero without a request`, async () => {
      const sent = counter.count();
      assertOneLineFailure(await recur(c.args, { ...badEnv, ...c.env }), c.code, c.pattern);
      assert.equal(counter.count(), sent, 'a request reached the gateway');
    });
  }

  it('when the gateway answers HTTP 500, then one line names ERR_GATEWAY_UNAVAILABLE', async () => {
    const sentBefore = counter.count();
    const result = await recur(['2c2p', 'balance'], badEnv);
    assertOneLineFailure(result, 1, /ERR_GATEWAY_UNAVAILABLE/);
    assert.ok(counter.count() > sentBefore, 'the request never reached the server');
  });
});
