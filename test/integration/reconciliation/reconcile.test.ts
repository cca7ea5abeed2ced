// `reconcile` against the real engine: embedded PostgreSQL, the 2C2P sandbox over HTTP and a time-skipping
// Temporal server with the real worker. The record is made to disagree with the sandbox after a real run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getCharge } from '../../../src/db/index.js';
import { createGatewayClient, type GatewayClient } from '../../../src/gateway/client.js';
import { importPrivateKey, importPublicKey } from '../../../src/gateway/keys.js';
import { reconcile } from '../../../src/reconciliation/reconcile.js';
import { stateQuery } from '../../../src/workflows/definitions.js';
import { MERCHANT_ID, startEngineHarness, type EngineHarness } from '../../support/engine-harness.js';
import { eventually } from '../../support/eventually.js';
import { activeSubscription, dueAt, HOUR } from '../../support/subscription-steps.js';

describe('reconcile against PostgreSQL, the sandbox and Temporal', () => {
  let harness: EngineHarness;
  let gateway: GatewayClient;

  before(async () => {
    harness = await startEngineHarness();
    const s = harness.childWorkerSettings;
    gateway = createGatewayClient({
      merchantId: MERCHANT_ID,
      keys: {
        merchantPrivateKey: importPrivateKey(s.merchantPrivateKeyPem),
        merchantPublicKey: importPublicKey(s.merchantPublicKeyPem),
        gatewayPublicKey: importPublicKey(s.gatewayPublicKeyPem),
        secretKey: new TextEncoder().encode(s.secretKey),
      },
      endpoints: { paymentActionBase: `${s.baseUrl}/2C2PFrontend`, pgwBase: s.baseUrl },
      timeoutMs: 10_000,
    });
  });
  after(async () => {
    await harness?.stop();
  });

  it('when a charge row is changed and a charge 2C2P made was never recorded, then both are reported, and --repair signals the workflow that records the missing one', async () => {
    const { input, handle } = await activeSubscription(harness);
    const subscriptionId = input.subscriptionId;
    const initial = (await handle.query(stateQuery)).charges[0]?.invoiceNo ?? '';
    assert.ok(await getCharge(harness.pool, MERCHANT_ID, initial), 'the first payment is recorded');
    await harness.pool.query('UPDATE charges SET amount_minor = amount_minor - 1 WHERE invoice_no = $1', [initial]);
    // 2C2P takes charge 1 and its notification is lost; Temporal's clock stays before the charge's grace
    // period, so the workflow has not asked Payment Inquiry yet and is still waiting for it.
    harness.sandbox.faults.dropNextNotification(1);
    await harness.sandbox.clock.advanceTo(new Date(dueAt(input, 1) + HOUR));
    const chargeOne = harness.sandbox.ledger().transactions.find((t) => t.recurringSequenceNo === 1);
    const missing = chargeOne?.invoiceNo ?? '';
    assert.ok(missing, 'the sandbox made charge 1');
    assert.equal(await getCharge(harness.pool, MERCHANT_ID, missing), undefined, 'and no row holds it');

    const common = { pool: harness.pool, gateway, temporalClient: harness.env.client, merchantId: MERCHANT_ID };
    const found = await reconcile(common);
    const ours = found.disagreements.filter((d) => d.subscriptionId === subscriptionId);
    assert.deepEqual(
      ours.map((d) => [d.kind, d.invoiceNo, d.repair]),
      [
        ['charge_amount_mismatch', initial, 'manual'],
        ['charge_missing_in_db', missing, null],
      ],
    );
    assert.equal(found.checked.signals, 0, 'nothing is sent without repair');
    assert.equal(found.checked.plans, 1);

    const repaired = await reconcile({ ...common, repair: true });
    const repairs = repaired.disagreements.filter((d) => d.subscriptionId === subscriptionId);
    assert.deepEqual(
      repairs.map((d) => [d.kind, d.repair]),
      [
        ['charge_amount_mismatch', 'manual'],
        ['charge_missing_in_db', 'signaled'],
      ],
    );
    assert.equal(repaired.checked.signals, 1);

    const row = await eventually(async () => {
      const stored = await getCharge(harness.pool, MERCHANT_ID, missing);
      assert.ok(stored, 'the workflow recorded the charge from the signal');
      return stored;
    });
    assert.equal(row.status, 'succeeded');
    assert.equal(row.amountMinor, input.plan.amountMinor);
    assert.equal((await handle.query(stateQuery)).nextSequence, 2);

    const after = await reconcile(common);
    assert.deepEqual(
      after.disagreements.filter((d) => d.subscriptionId === subscriptionId).map((d) => d.kind),
      ['charge_amount_mismatch'],
      'only the change no workflow message can undo is left',
    );
  });
});
