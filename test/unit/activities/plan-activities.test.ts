// The plan and inquiry activities against a recording fake client: changePlan and cancelPlan send the whole
// plan, asking 2C2P (RPP inquiry) first only for what the workflow did not pass; inquiries carry the amount.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGatewayActivities } from '../../../src/activities/gateway-activities.js';
import { money } from '../../../src/domain/money.js';
import type { Plan } from '../../../src/domain/subscription-model.js';
import type { GatewayClient } from '../../../src/gateway/client.js';
import type { RecurringMaintenanceResponse } from '../../../src/gateway/types.js';

const CONTEXT = { merchantId: 'JT01', subscriptionId: 'sub_1', recurringUniqueID: '156142' };
const PLAN: Plan = {
  amountMinor: 4990,
  currency: 'SGD',
  interval: { kind: 'days', days: 30 },
  recurringCount: 12,
  firstChargeDate: '2026-02-01',
  allowAccumulate: true,
  maxAccumulateMinor: 9980,
};
/** What 2C2P reports for the plan: paused (N), other terms, next charge 7 March 2026. */
const INQUIRY: RecurringMaintenanceResponse = {
  respCode: '00',
  respReason: 'Inquiry Successful',
  recurringUniqueID: '156142',
  recurringStatus: 'N',
  currency: '702',
  amount: '000000009990',
  allowAccumulate: 'N',
  maxAccumulateAmount: '000000001000',
  recurringInterval: '',
  chargeOnDate: '0703',
  recurringCount: '6',
  chargeNextDate: '20260307',
};

function activitiesWithRecordingClient() {
  const calls: Array<[string, unknown]> = [];
  const record = (name: string, answer: unknown) => async (request: unknown) => {
    calls.push([name, request]);
    return answer;
  };
  const done = { respCode: '00', respReason: 'Successful' };
  const processed = { respCode: '00', respDesc: 'Success', status: 'S', refundList: [] };
  const client = {
    recurringInquiry: record('recurringInquiry', INQUIRY),
    recurringUpdate: record('recurringUpdate', done),
    recurringCancel: record('recurringCancel', done),
    inquiry: record('inquiry', processed),
    refundStatus: record('refundStatus', processed),
  } as unknown as GatewayClient;
  const activities = createGatewayActivities({ gatewayFor: () => client, audit: async () => undefined });
  return { activities, calls, names: () => calls.map(([name]) => name) };
}

/** The workflow's plan as U/C terms (status Y: Recur never pauses a plan it still holds). */
const PLAN_TERMS = {
  recurringUniqueID: '156142',
  recurringStatus: 'Y',
  amount: money(4990, 'SGD'),
  allowAccumulate: true,
  maxAccumulateAmount: money(9980, 'SGD'),
  intervalDays: 30,
  count: 12,
};

describe('plan activities send the whole plan', () => {
  it('when cancelPlan gets only the id (workflow v1), then an RPP inquiry comes first and C carries what it reported', async () => {
    const { activities, calls, names } = activitiesWithRecordingClient();
    await activities.cancelPlan(CONTEXT);
    assert.deepEqual(names(), ['recurringInquiry', 'recurringCancel']);
    assert.deepEqual(calls[1]?.[1], {
      recurringUniqueID: '156142',
      recurringStatus: 'N',
      amount: money(9990, 'SGD'),
      allowAccumulate: false,
      maxAccumulateAmount: money(1000, 'SGD'),
      chargeOnDate: { day: 7, month: 3 },
      count: 6,
      chargeNextDate: new Date('2026-03-07T00:00:00Z'),
    });
  });

  it('when cancelPlan gets the plan and the next charge date, then C carries them and no inquiry is made', async () => {
    const { activities, calls, names } = activitiesWithRecordingClient();
    await activities.cancelPlan({ ...CONTEXT, plan: PLAN, chargeNextDate: '2026-03-03' });
    assert.deepEqual(names(), ['recurringCancel']);
    assert.deepEqual(calls[0]?.[1], { ...PLAN_TERMS, chargeNextDate: new Date('2026-03-03T00:00:00Z') });
  });

  it('when changePlan gets a day-of-month plan and its next charge date, then U sends chargeOnDate of that month, no inquiry', async () => {
    const { activities, calls, names } = activitiesWithRecordingClient();
    const plan: Plan = { ...PLAN, interval: { kind: 'day-of-month', day: 31 } };
    await activities.changePlan({ ...CONTEXT, plan, chargeNextDate: '2026-04-30' });
    assert.deepEqual(names(), ['recurringUpdate']);
    const { intervalDays: _days, ...rest } = PLAN_TERMS;
    assert.deepEqual(calls[0]?.[1], {
      ...rest,
      chargeOnDate: { day: 31, month: 4 },
      chargeNextDate: new Date('2026-04-30T00:00:00Z'),
    });
  });

  it('when changePlan has no next charge date, then the inquiry supplies it and the status, the plan the rest', async () => {
    const { activities, calls, names } = activitiesWithRecordingClient();
    await activities.changePlan({ ...CONTEXT, plan: PLAN });
    assert.deepEqual(names(), ['recurringInquiry', 'recurringUpdate']);
    assert.deepEqual(calls[1]?.[1], {
      ...PLAN_TERMS,
      recurringStatus: 'N',
      chargeNextDate: new Date('2026-03-07T00:00:00Z'),
    });
  });
});

describe('inquiry activities carry the amount they know', () => {
  it('when a refund is followed up, then refund status sends the refund amount; a transaction inquiry sends one only when given', async () => {
    const { activities, calls } = activitiesWithRecordingClient();
    await activities.inquireRefund({ ...CONTEXT, invoiceNo: 'INV1', amountMinor: 2500, currency: 'SGD' });
    await activities.inquireTransaction({ ...CONTEXT, invoiceNo: 'INV1', amountMinor: 10500, currency: 'SGD' });
    await activities.inquireTransaction({ ...CONTEXT, invoiceNo: 'INV1' });
    assert.deepEqual(calls, [
      ['refundStatus', { invoiceNo: 'INV1', amount: money(2500, 'SGD') }],
      ['inquiry', { invoiceNo: 'INV1', amount: money(10500, 'SGD') }],
      ['inquiry', { invoiceNo: 'INV1', amount: undefined }],
    ]);
  });
});
