// Turns a validated POST /v1/subscriptions body into the workflow's SubscriptionInput (all 422 checks here).
import { randomUUID } from 'node:crypto';
import type { BillingInterval } from '../../domain/billing-schedule.js';
import { daysBetween, isCalendarDate, toCalendarDate, type CalendarDate } from '../../domain/calendar-date.js';
import { billingCurrencyProblem, defaultDunning, planProblems } from '../../domain/plan-rules.js';
import { calendarDateIn, DEFAULT_2C2P_TIME_ZONE } from '../../domain/time-zone.js';
import type { DunningPolicy, Plan, SubscriptionInput, SubscriptionTimings } from '../../workflows/definitions.js';
import { readAmount, readCurrency } from '../money-fields.js';
import { unprocessable } from '../problem.js';
import type { CreateSubscriptionBody } from '../schemas/create-subscription.js';
import { apiPlanField, assertNoPlanProblems } from './plan-refusal.js';

/** The API's interval (`{days}` or `{dayOfMonth}`) as the domain's BillingInterval. */
export function toBillingInterval(interval: { days: number } | { dayOfMonth: number }): BillingInterval {
  return 'days' in interval
    ? { kind: 'days', days: interval.days }
    : { kind: 'day-of-month', day: interval.dayOfMonth };
}

/**
 * The dunning policy of a new subscription: what the request gives, the rest from the plan's default (a week,
 * or less than its shortest period). Reminders default to no more than the window has days.
 */
export function dunningPolicy(interval: BillingInterval, given: Partial<DunningPolicy> = {}): DunningPolicy {
  const defaults = defaultDunning(interval);
  const windowDays = given.windowDays ?? defaults.windowDays;
  return { windowDays, reminders: given.reminders ?? Math.min(defaults.reminders, windowDays) };
}

/**
 * The later of today in UTC (the billing calendar) and today in 2C2P's zone, which refuses a chargeNextDate
 * that is not after its own today (9907): from 17:00 UTC on, Bangkok is already a day ahead.
 */
function latestToday(now: Date, timeZone: string): { date: CalendarDate; zone: string } {
  const utc = toCalendarDate(now.getTime());
  const zoned = calendarDateIn(now, timeZone);
  return daysBetween(utc, zoned) > 0 ? { date: zoned, zone: timeZone } : { date: utc, zone: 'UTC' };
}

/** Where the request comes from and what the deployment adds to it. */
export interface InputContext {
  merchantId: string;
  now: Date;
  defaultBackendReturnUrl: string;
  timings?: Partial<SubscriptionTimings>;
  /** The zone of 2C2P's "today" (TWOC2P_TIMEZONE; default Asia/Bangkok). */
  timeZone?: string;
}

/** Builds the workflow input, or throws a 422 naming the field (or, for the plan rules, every field) it refuses. */
export function toSubscriptionInput(body: CreateSubscriptionBody, ctx: InputContext): SubscriptionInput {
  const { plan } = body;
  const currency = readCurrency('plan.currency', plan.currency);
  const unbillable = billingCurrencyProblem(currency);
  if (unbillable) throw unprocessable('plan.currency', unbillable);
  const amountMinor = readAmount('plan.amount', plan.amount, currency);
  const allowAccumulate = plan.allowAccumulate ?? false;
  if (allowAccumulate && plan.maxAccumulateAmount === undefined) {
    throw unprocessable('plan.maxAccumulateAmount', 'is required when allowAccumulate is true');
  }
  const maxAccumulateMinor =
    plan.maxAccumulateAmount === undefined
      ? 0
      : readAmount('plan.maxAccumulateAmount', plan.maxAccumulateAmount, currency, { allowZero: true });

  if (!isCalendarDate(plan.firstChargeDate))
    throw unprocessable('plan.firstChargeDate', `${plan.firstChargeDate} is not a calendar date`);
  const today = latestToday(ctx.now, ctx.timeZone ?? DEFAULT_2C2P_TIME_ZONE);
  if (daysBetween(today.date, plan.firstChargeDate) < 1) {
    throw unprocessable('plan.firstChargeDate', `must be after today (${today.date}, ${today.zone})`);
  }

  const interval = toBillingInterval(plan.interval);
  const dunning = dunningPolicy(interval, body.dunning);
  const planValue: Plan = {
    amountMinor,
    currency,
    interval,
    recurringCount: plan.recurringCount,
    firstChargeDate: plan.firstChargeDate,
    allowAccumulate,
    maxAccumulateMinor,
  };
  // The same rules the workflow applies to a plan change, so PATCH can never reach a plan POST refuses.
  assertNoPlanProblems(planProblems(planValue, dunning), (field) =>
    field.startsWith('dunning.') ? field : `plan.${apiPlanField(field)}`,
  );

  const input: SubscriptionInput = {
    merchantId: ctx.merchantId,
    subscriptionId: body.subscriptionId ?? `sub_${randomUUID().replace(/-/g, '')}`,
    customerId: body.customerId,
    description: body.description,
    plan: planValue,
    dunning,
    backendReturnUrl: body.backendReturnUrl ?? ctx.defaultBackendReturnUrl,
    requestedAt: ctx.now.toISOString(),
  };
  if (body.customerTokens?.length) input.customerTokens = body.customerTokens;
  if (body.frontendReturnUrl) input.frontendReturnUrl = body.frontendReturnUrl;
  if (body.refundPolicy) input.refundPolicy = body.refundPolicy;
  if (ctx.timings) input.timings = ctx.timings;
  return input;
}
