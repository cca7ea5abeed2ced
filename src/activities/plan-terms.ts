// The terms an RPP update or cancel sends for a workflow's plan: the workflow's own values, and for what it
// did not pass (v1 passes no plan to cancelPlan; a plan past its last charge has no next date) an RPP inquiry.
import type { BillingInterval } from '../domain/billing-schedule.js';
import { parseCalendarDate, toCalendarDate, toEpochMs, type CalendarDate } from '../domain/calendar-date.js';
import { money } from '../domain/money.js';
import type { Plan } from '../domain/subscription-model.js';
import type { GatewayClient } from '../gateway/client.js';
import { planTermsFromInquiry, type RecurringPlanTerms } from '../gateway/recurring-plan.js';

/** What the workflow knows of the plan it asks to update or cancel. */
export interface KnownPlan {
  recurringUniqueID: string;
  plan?: Plan;
  chargeNextDate?: CalendarDate;
}

/** 2C2P's schedule fields: recurringInterval in days, or chargeOnDate (ddMM) for a day of month. */
export function scheduleFields(interval: BillingInterval, firstCharge: CalendarDate) {
  if (interval.kind === 'days') return { intervalDays: interval.days };
  return { chargeOnDate: { day: interval.day, month: parseCalendarDate(firstCharge).month } };
}

/** The plan's full terms; one RPP inquiry first unless the workflow passed both the plan and the next charge date. */
export async function planTermsFor(client: GatewayClient, known: KnownPlan): Promise<RecurringPlanTerms> {
  const { recurringUniqueID, plan } = known;
  const inquired =
    plan && known.chargeNextDate
      ? undefined
      : planTermsFromInquiry(recurringUniqueID, await client.recurringInquiry({ recurringUniqueID }), plan?.currency);
  if (!plan) return inquired!;
  const chargeNextDate = known.chargeNextDate ? new Date(toEpochMs(known.chargeNextDate)) : inquired?.chargeNextDate;
  const anchor = chargeNextDate ? toCalendarDate(chargeNextDate.getTime()) : plan.firstChargeDate;
  return {
    recurringUniqueID,
    // Recur never pauses a plan, so one its workflow still holds is active unless 2C2P says otherwise.
    recurringStatus: inquired?.recurringStatus ?? 'Y',
    amount: money(plan.amountMinor, plan.currency),
    allowAccumulate: plan.allowAccumulate,
    maxAccumulateAmount: money(plan.maxAccumulateMinor, plan.currency),
    ...scheduleFields(plan.interval, anchor),
    count: plan.recurringCount,
    ...(chargeNextDate ? { chargeNextDate } : {}),
  };
}
