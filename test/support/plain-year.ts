// The subscription-year the history budget is set for (issue 12): a monthly plan with 12 charges (the
// first payment and 11 recurring), one declined charge recovered through its dunning link, one refund,
// each clock step one due date at a time. Shared by the history-size test and `npm run bench`.
import assert from 'node:assert/strict';
import type protos from '@temporalio/proto';
import { refundUpdate, stateQuery, type SubscriptionView } from '../../src/workflows/definitions.js';
import type { EngineHarness } from './engine-harness.js';
import { eventually } from './eventually.js';
import { activeSubscription, DAY, dueAt, HOUR, reaches } from './subscription-steps.js';

/** The history budget for this year (issue 12); continue-as-new (at 5,000 events) stays the safety net. */
export const EVENTS_PER_YEAR_BUDGET = 600;

const RECURRING_CHARGES = 11;
const DECLINED_SEQUENCE = 4;
const REFUNDED_SEQUENCE = 6;

export interface PlainYear {
  final: SubscriptionView;
  events: protos.temporal.api.history.v1.IHistoryEvent[];
}

/** Runs the year to its end on `harness` and returns the final view and the (single run's) history. */
export async function runPlainYear(harness: EngineHarness): Promise<PlainYear> {
  const base = await harness.input();
  const { input, handle, view } = await activeSubscription(harness, {
    plan: { ...base.plan, recurringCount: RECURRING_CHARGES },
  });
  for (let sequence = 1; sequence <= RECURRING_CHARGES; sequence += 1) {
    if (sequence === DECLINED_SEQUENCE)
      harness.sandbox.faults.declineNextCharge({ recurringUniqueID: view.recurringUniqueID });
    await harness.advanceTo(dueAt(input, sequence) + HOUR);
    if (sequence === DECLINED_SEQUENCE) {
      const link = await eventually(async () => {
        const v = await handle.query(stateQuery);
        assert.ok(v.pendingPaymentLink, 'the declined charge offers a dunning link');
        return v.pendingPaymentLink;
      });
      await harness.advanceTo(dueAt(input, sequence) + 2 * DAY);
      await harness.sandbox.approvePayment(link.paymentToken);
      await reaches(handle, 'active');
    }
    await eventually(async () => {
      const v = await handle.query(stateQuery);
      assert.ok(v.nextSequence > sequence || v.status === 'completed', `charge ${sequence} recorded`);
    });
    if (sequence === REFUNDED_SEQUENCE) {
      // Past settlement (a day in the sandbox), a partial refund of the charge just made.
      await harness.advanceTo(dueAt(input, sequence) + 3 * DAY);
      const invoiceNo = (await handle.query(stateQuery)).charges.find((c) => c.sequence === sequence)?.invoiceNo;
      assert.ok(invoiceNo);
      await handle.executeUpdate(refundUpdate, { args: [{ invoiceNo, amountMinor: 500 }] });
      await eventually(async () => {
        const v = await handle.query(stateQuery);
        assert.equal(v.refunds[0]?.status, 'succeeded');
      });
    }
  }
  const final = await handle.result();
  const history = await handle.fetchHistory();
  return { final, events: history.events ?? [] };
}

/** Events of a history counted by type (EVENT_TYPE_ prefix dropped), and activities by name and kind. */
export function historyBreakdown(events: protos.temporal.api.history.v1.IHistoryEvent[]): {
  byType: Record<string, number>;
  activities: Record<string, number>;
  localActivities: number;
} {
  const byType: Record<string, number> = {};
  const activities: Record<string, number> = {};
  let localActivities = 0;
  for (const event of events) {
    const type = eventTypeName(event);
    byType[type] = (byType[type] ?? 0) + 1;
    const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) activities[name] = (activities[name] ?? 0) + 1;
    if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') localActivities += 1;
  }
  return { byType, activities, localActivities };
}

function eventTypeName(event: protos.temporal.api.history.v1.IHistoryEvent): string {
  const attributes = Object.keys(event).find((k) => k.endsWith('EventAttributes') && event[k as keyof typeof event]);
  return attributes ? attributes.replace(/EventAttributes$/, '') : String(event.eventType);
}
