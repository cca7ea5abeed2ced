// Recurring plans driven by the clock: invoice sequence, amounts, accumulation, termination, RPP I/U/C.
import { RECURRING_REQUEST_ORDER } from '../../../src/gateway/codecs/recurring-maintenance.js';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { notificationClaims, startSandboxHarness, xmlOf, type SandboxHarness } from '../../support/sandbox-harness.js';

describe('sandbox recurring plans', () => {
  let h: SandboxHarness;
  // One sandbox per test: each starts at 2025-01-15T09:00Z with its own clock.
  beforeEach(async () => {
    h = await startSandboxHarness();
  });
  afterEach(() => h.close());

  const rpp = (processType: string, recurringUniqueID: string, fields: Record<string, string> = {}) => {
    const all: Record<string, string> = {
      version: '2.4',
      timeStamp: '150125090000',
      merchantID: h.merchant.merchantId,
      recurringUniqueID,
      processType,
      ...fields,
    };
    return h.action(
      xmlOf('RecurringMaintenanceRequest', Object.fromEntries(RECURRING_REQUEST_ORDER.map((k) => [k, all[k] ?? '']))),
    );
  };

  async function newPlan(prefix: string, terms: Record<string, unknown>) {
    const from = h.receiver.received.length;
    const { invoiceNo } = await h.paid({
      amount: 10,
      recurring: true,
      invoicePrefix: prefix,
      recurringAmount: 10,
      allowAccumulate: true,
      maxAccumulateAmount: 30,
      recurringCount: 12,
      ...terms,
    });
    const first = await notificationClaims(h.receiver.received[from]!.body, h.merchant.secret);
    return {
      invoiceNo,
      recurringUniqueID: first['recurringUniqueID'] as string,
      customerToken: first['customerToken'] as string,
      first,
    };
  }

  /** The plan elements a complete U or C carries (newPlan's defaults: 10.00 SGD, accumulating up to 30.00, 12 charges). */
  const planElements = (fields: Record<string, string> = {}) => ({
    recurringStatus: 'Y',
    amount: '000000001000',
    allowAccumulate: 'Y',
    maxAccumulateAmount: '000000003000',
    recurringCount: '12',
    ...fields,
  });

  const notesFor = async (id: string) => {
    const all = await Promise.all(h.receiver.received.map((r) => notificationClaims(r.body, h.merchant.secret)));
    return all.filter((n) => n['recurringUniqueID'] === id && n['recurringSequenceNo'] !== undefined);
  };

  it('when a 12-charge monthly plan runs a year with one declined charge, then 12 invoices, 12 notifications and the declined amount is added to the next', async () => {
    const plan = await newPlan('YEARLY0001', { chargeOnDate: '1501', chargeNextDate: '15022025' });
    assert.match(plan.recurringUniqueID, /^\d+$/);
    assert.match(plan.customerToken, /^\d{20}$/);
    assert.equal(plan.first['invoiceNo'], plan.invoiceNo, 'the initial payment keeps its own invoice');
    assert.equal(plan.first['recurringSequenceNo'], undefined, 'the initial payment is not part of the sequence');
    await h.sandbox.clock.advanceTo(new Date('2025-04-01T00:00:00Z'));
    h.sandbox.faults.declineNextCharge({ recurringUniqueID: plan.recurringUniqueID, respCode: '4051' });
    await h.sandbox.clock.advanceTo(new Date('2026-06-01T00:00:00Z'));
    const notes = await notesFor(plan.recurringUniqueID);
    assert.deepEqual(
      notes.map((n) => n['invoiceNo']),
      Array.from({ length: 12 }, (_, i) => `YEARLY0001${String(i + 1).padStart(5, '0')}`),
    );
    assert.deepEqual(
      notes.map((n) => n['recurringSequenceNo']),
      Array.from({ length: 12 }, (_, i) => String(i + 1)),
    );
    assert.deepEqual(
      notes.map((n) => n['amount']),
      ['10.00', '10.00', '10.00', '20.00', ...Array(8).fill('10.00')],
    );
    assert.deepEqual(
      notes.map((n) => n['respCode']),
      ['0000', '0000', '4051', ...Array(9).fill('0000')],
    );
    assert.deepEqual(
      notes.map((n) => n['transactionDateTime']),
      [
        '20250215000000',
        '20250315000000',
        '20250415000000',
        '20250515000000',
        '20250615000000',
        '20250715000000',
        '20250815000000',
        '20250915000000',
        '20251015000000',
        '20251115000000',
        '20251215000000',
        '20260115000000',
      ],
    );
    for (const n of notes) {
      assert.equal(n['customerToken'], plan.customerToken);
      assert.equal(n['accountNo'], '411111XXXXXX1111');
      assert.equal(n['currencyCode'], 'SGD');
      assert.match(n['paymentID'] as string, /^ccpp_\d+$/);
    }
    const inquiry = await rpp('I', plan.recurringUniqueID);
    assert.equal(inquiry.fields?.['recurringStatus'], 'N');
    assert.equal(inquiry.fields?.['currentCount'], '12');
  });

  it('when declined charges accumulate beyond maxAccumulateAmount, then the plan terminates and charges stop', async () => {
    const plan = await newPlan('TERM000001', {
      recurringInterval: 30,
      chargeNextDate: '01032025',
      maxAccumulateAmount: 15,
    });
    h.sandbox.faults.declineNextCharge({ recurringUniqueID: plan.recurringUniqueID, count: 2 });
    await h.sandbox.clock.advanceTo(new Date('2025-09-01T00:00:00Z'));
    const notes = await notesFor(plan.recurringUniqueID);
    assert.deepEqual(
      notes.map((n) => [n['amount'], n['respCode']]),
      [
        ['10.00', '4051'],
        ['20.00', '4051'],
      ],
    );
    assert.equal(
      h.sandbox.ledger().plans.find((p) => p.recurringUniqueID === plan.recurringUniqueID)?.state,
      'terminated',
    );
    assert.equal((await rpp('I', plan.recurringUniqueID)).fields?.['recurringStatus'], 'N');
  });

  it('when a plan is inquired, then the answer has numeric currency, 12-digit amounts and chargeNextDate as yyyyMMdd', async () => {
    const plan = await newPlan('INQ0000001', {
      recurringInterval: 30,
      chargeNextDate: '01102025',
      recurringAmount: 99.9,
      maxAccumulateAmount: 10,
    });
    const res = await rpp('I', plan.recurringUniqueID, { amount: '99.90', recurringStatus: 'Y' });
    assert.equal(res.fields?.['respCode'], '00');
    assert.equal(res.fields?.['respReason'], 'Inquiry Successful');
    assert.equal(res.fields?.['currency'], '702');
    assert.equal(res.fields?.['amount'], '000000009990');
    assert.equal(res.fields?.['maxAccumulateAmount'], '000000001000');
    assert.equal(res.fields?.['invoicePrefix'], 'INQ0000001');
    assert.equal(res.fields?.['maskedCardNo'], 'XXXXXXXXXXXX1111');
    assert.equal(res.fields?.['recurringInterval'], '30');
    assert.equal(res.fields?.['recurringCount'], '12');
    assert.equal(res.fields?.['currentCount'], '0');
    assert.equal(res.fields?.['chargeNextDate'], '20251001');
    assert.equal(res.fields?.['recurringStatus'], 'Y');
  });

  it('when maintenance requests are incomplete, unknown or invalid, then 10, 17, 16 and 11', async () => {
    const plan = await newPlan('BAD0000001', { recurringInterval: 30, chargeNextDate: '01122025' });
    assert.equal((await rpp('I', '')).fields?.['respCode'], '10');
    assert.equal((await rpp('Z', plan.recurringUniqueID)).fields?.['respCode'], '17');
    assert.equal((await rpp('I', '999999999')).fields?.['respCode'], '16');
    assert.equal((await rpp('C', '999999999', planElements())).fields?.['respCode'], '16');
    const invalid: Record<string, string>[] = [
      { recurringInterval: '366' },
      { recurringInterval: '0' },
      { recurringInterval: '30', amount: '99.90' },
      { recurringInterval: '30', recurringStatus: 'X' },
      { recurringInterval: '30', chargeNextDate: '2026-12-01' },
      { recurringInterval: '30', chargeNextDate: '01012020' },
      { chargeOnDate: '3102' },
      { recurringInterval: '30', chargeOnDate: '0101' },
    ];
    for (const bad of invalid) {
      const answer = await rpp('U', plan.recurringUniqueID, planElements(bad));
      assert.equal(answer.fields?.['respCode'], '11', JSON.stringify(bad));
    }
    const badCancels: Record<string, string>[] = [
      { amount: '10.00' },
      { recurringStatus: 'X' },
      { allowAccumulate: 'yes' },
    ];
    for (const bad of badCancels) {
      const answer = await rpp('C', plan.recurringUniqueID, planElements(bad));
      assert.equal(answer.fields?.['respCode'], '11', JSON.stringify(bad));
    }
    assert.equal(
      h.sandbox.ledger().plans.find((p) => p.recurringUniqueID === plan.recurringUniqueID)?.intervalDays,
      30,
    );
  });

  it('when a plan is updated, paused, resumed and cancelled, then charges follow each change', async () => {
    const plan = await newPlan('UPD0000001', { recurringInterval: 10, chargeNextDate: '01022025', recurringCount: 0 });
    const terms = planElements({ recurringInterval: '10', recurringCount: '0', chargeNextDate: '01022025' });
    const update = await rpp('U', plan.recurringUniqueID, { ...terms, amount: '000000002500', recurringCount: '24' });
    assert.deepEqual(
      [update.fields?.['respCode'], update.fields?.['respReason'], update.fields?.['recurringUniqueID']],
      ['00', 'Update Successful', plan.recurringUniqueID],
    );
    await h.sandbox.clock.advanceTo(new Date('2025-02-05T00:00:00Z'));
    assert.deepEqual(
      (await notesFor(plan.recurringUniqueID)).map((n) => n['amount']),
      ['25.00'],
    );
    const later = { ...terms, amount: '000000002500', recurringCount: '24', chargeNextDate: '' };
    assert.equal(
      (await rpp('U', plan.recurringUniqueID, { ...later, recurringStatus: 'N' })).fields?.['respCode'],
      '00',
    );
    await h.sandbox.clock.advanceTo(new Date('2025-03-05T00:00:00Z'));
    assert.equal((await notesFor(plan.recurringUniqueID)).length, 1, 'a paused plan is not charged');
    assert.equal(
      (await rpp('U', plan.recurringUniqueID, { ...later, chargeNextDate: '10032025' })).fields?.['respCode'],
      '00',
    );
    await h.sandbox.clock.advanceTo(new Date('2025-03-15T00:00:00Z'));
    const notes = await notesFor(plan.recurringUniqueID);
    assert.deepEqual(
      notes.map((n) => n['invoiceNo']),
      ['UPD000000100001', 'UPD000000100002'],
    );
    assert.equal(notes[1]?.['transactionDateTime'], '20250310000000');
    const cancel = await rpp('C', plan.recurringUniqueID, later);
    assert.deepEqual([cancel.fields?.['respCode'], cancel.fields?.['respReason']], ['00', 'Cancel Successful']);
    await h.sandbox.clock.advanceTo(new Date('2025-06-01T00:00:00Z'));
    assert.equal((await notesFor(plan.recurringUniqueID)).length, 2, 'a cancelled plan is not charged');
    assert.equal((await rpp('C', plan.recurringUniqueID, later)).fields?.['respCode'], '00');
    assert.equal((await rpp('U', plan.recurringUniqueID, later)).fields?.['respCode'], '12');
    assert.equal((await rpp('I', plan.recurringUniqueID)).fields?.['recurringStatus'], 'N');
  });

  it('when a U or C leaves a required element empty, then 10 (Missing Compulsory Values) and the plan is unchanged', async () => {
    const plan = await newPlan('EMP0000001', { recurringInterval: 30, chargeNextDate: '01122025' });
    const update = planElements({ recurringInterval: '15' });
    const missing: Array<['U' | 'C', string]> = [
      ...(['recurringStatus', 'amount', 'allowAccumulate', 'recurringCount', 'recurringInterval'] as const).map(
        (name) => ['U', name] as ['U', string],
      ),
      ...(['recurringStatus', 'amount', 'allowAccumulate'] as const).map((name) => ['C', name] as ['C', string]),
    ];
    for (const [processType, name] of missing) {
      const answer = await rpp(processType, plan.recurringUniqueID, { ...update, [name]: '' });
      assert.deepEqual(
        [answer.fields?.['respCode'], answer.fields?.['respReason']],
        ['10', 'Missing Compulsory Values'],
        `${processType} without ${name}`,
      );
    }
    assert.equal((await rpp('C', plan.recurringUniqueID)).fields?.['respCode'], '10', 'ids only, as before');
    const ledgerPlan = h.sandbox.ledger().plans.find((p) => p.recurringUniqueID === plan.recurringUniqueID);
    assert.deepEqual([ledgerPlan?.recurringStatus, ledgerPlan?.intervalDays], ['Y', 30]);
    // What the official samples leave empty (maxAccumulateAmount, chargeNextDate, chargeOnDate) may stay empty.
    const sampleLike = { ...update, maxAccumulateAmount: '', chargeNextDate: '' };
    assert.equal((await rpp('U', plan.recurringUniqueID, sampleLike)).fields?.['respCode'], '00');
    assert.equal(
      (await rpp('C', plan.recurringUniqueID, { recurringStatus: 'Y', amount: '000000001000', allowAccumulate: 'N' }))
        .fields?.['respCode'],
      '00',
    );
  });

  it('when a plan charges on day 31, then February is charged on its last day (28th in 2025)', async () => {
    const plan = await newPlan('EOM0000001', { chargeOnDate: '3101', chargeNextDate: '31012025', recurringCount: 3 });
    await h.sandbox.clock.advanceTo(new Date('2025-05-01T00:00:00Z'));
    const notes = await notesFor(plan.recurringUniqueID);
    assert.deepEqual(
      notes.map((n) => String(n['transactionDateTime']).slice(0, 8)),
      ['20250131', '20250228', '20250331'],
    );
  });
});
