// Which invoices reconciliation probes, and which disagreements the existing workflow messages can repair.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Disagreement } from '../../../src/reconciliation/disagreement.js';
import { createLimiter } from '../../../src/reconciliation/limiter.js';
import { invoicesToProbe } from '../../../src/reconciliation/probe-invoices.js';
import { planRepair, type WorkflowFacts } from '../../../src/reconciliation/repair-plan.js';
import type { PaymentNotification } from '../../../src/workflows/definitions.js';
import { charge, subscription } from './fixtures.js';

const disagreement = (kind: Disagreement['kind'], invoiceNo?: string): Disagreement => ({
  kind,
  subscriptionId: 'sub-1',
  invoiceNo,
  detail: '',
  repair: null,
});
const waiting: WorkflowFacts = {
  running: true,
  status: 'active',
  nextSequence: 2,
  recordedInvoices: ['P1F0000', 'P100001'],
  attention: 0,
};
const notification: PaymentNotification = { invoiceNo: 'P100002', respCode: '0000', respDesc: 'Success' };

describe('invoicesToProbe', () => {
  it('when charge 1 is recorded, then the next sequence is probed with the numbering it shows, and nothing recorded is', () => {
    const charges = [charge(), charge({ invoiceNo: 'P100001', kind: 'recurring', sequence: 1 })];
    assert.deepEqual(
      invoicesToProbe(subscription(), charges).map((p) => p.invoiceNo),
      ['P100002'],
    );
  });

  it('when the RPP inquiry reports more charges than recorded, then every sequence up to it (and one more) is probed', () => {
    const charges = [charge(), charge({ invoiceNo: 'P100001', kind: 'recurring', sequence: 1 })];
    assert.deepEqual(
      invoicesToProbe(subscription(), charges, 3).map((p) => [p.invoiceNo, p.sequence]),
      [
        ['P100002', 2],
        ['P100003', 3],
        ['P100004', 4],
      ],
    );
  });

  it('when nothing is recorded, then the first payment and both numberings of charge 1 are probed; a lost middle row is probed too', () => {
    assert.deepEqual(
      invoicesToProbe(subscription(), []).map((p) => p.invoiceNo),
      ['P1F0000', 'P100001', 'P100000'],
    );
    const gap = [charge(), charge({ invoiceNo: 'P100002', kind: 'recurring', sequence: 2 })];
    assert.deepEqual(
      invoicesToProbe(subscription(), gap).map((p) => p.invoiceNo),
      ['P100001', 'P100003'],
    );
  });

  it('when a charge was declined, then the next dunning links after the last recorded one are probed', () => {
    const charges = [
      charge(),
      charge({ invoiceNo: 'P100001', kind: 'recurring', sequence: 1, status: 'declined' }),
      charge({ invoiceNo: 'P1D0000101', kind: 'dunning', sequence: 1, status: 'declined' }),
    ];
    assert.deepEqual(
      invoicesToProbe(subscription(), charges)
        .filter((p) => p.kind === 'dunning')
        .map((p) => p.invoiceNo),
      ['P1D0000102', 'P1D0000103'],
    );
  });

  it('when the subscription has no plan id yet, then only the first payment is probed', () => {
    assert.deepEqual(
      invoicesToProbe(subscription({ recurringUniqueId: null }), []).map((p) => p.invoiceNo),
      ['P1F0000'],
    );
  });
});

describe('planRepair', () => {
  it('when the workflow still waits for a charge 2C2P made, then it gets 2C2P answer as a paymentNotification', () => {
    const action = planRepair(disagreement('charge_missing_in_db', 'P100002'), waiting, {
      kind: 'recurring',
      sequence: 2,
      notification,
    });
    assert.deepEqual(action, { action: 'signal', notification });
  });

  it('when the workflow already recorded or passed the charge, then the repair is manual', () => {
    const recorded = planRepair(disagreement('charge_amount_mismatch', 'P100001'), waiting, {
      kind: 'recurring',
      sequence: 1,
      notification: { ...notification, invoiceNo: 'P100001' },
    });
    assert.equal(recorded.action, 'manual');
    const lostRow = planRepair(disagreement('charge_missing_in_db', 'P1F0000'), waiting, {
      kind: 'initial',
      sequence: null,
      notification: { ...notification, invoiceNo: 'P1F0000' },
    });
    assert.equal(lostRow.action, 'manual');
  });

  it('when calls wait on attention, then a plan or refund disagreement gets the retry update; otherwise it is manual', () => {
    const stuck: WorkflowFacts = { ...waiting, attention: 1 } as WorkflowFacts;
    assert.deepEqual(planRepair(disagreement('plan_status_mismatch'), stuck), { action: 'retry' });
    assert.deepEqual(planRepair(disagreement('refund_status_mismatch', 'P100001'), stuck), { action: 'retry' });
    assert.equal(planRepair(disagreement('plan_status_mismatch'), waiting).action, 'manual');
    assert.equal(planRepair(disagreement('duplicate_refund', 'P100001'), stuck).action, 'manual');
  });

  it('when the workflow is not running, then nothing can be signalled; a failed inquiry asks for no repair', () => {
    assert.equal(planRepair(disagreement('charge_missing_in_db', 'P100002'), { running: false }).action, 'manual');
    assert.deepEqual(planRepair(disagreement('inquiry_failed', 'P100002'), waiting), { action: 'none' });
  });
});

describe('createLimiter', () => {
  it('when more tasks than the limit are given, then no more than the limit run at once and all finish', async () => {
    const limit = createLimiter(3);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          running -= 1;
          return i;
        }),
      ),
    );
    assert.equal(most, 3);
    assert.deepEqual(
      results,
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.throws(() => createLimiter(0), RangeError);
  });
});
