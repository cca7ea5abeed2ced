// Turns a validated POST /v1/subscriptions body into the workflow's SubscriptionInput (all 422 checks here).
import { randomUUID } from 'node:crypto';
import type { BillingInterval } from '../../domain/billing-schedule.js';
import { daysBetween, isCalendarDate, toCalendarDate } from '../../domain/calendar-date.js';
import { billingCurrencyProblem, defaultDunning, planProblems } from '../../domain/plan-rules.js';
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

/** Where the request comes from and what the deployment adds to it. */
export interface InputContext {
  merchantId: string;
  now: Date;
  defaultBackendReturnUrl: string;
  timings?: Partial<SubscriptionTimings>;
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
  const today = toCalendarDate(ctx.now.getTime());
  if (daysBetween(today, plan.firstChargeDate) < 1) {
    throw unprocessable('plan.firstChargeDate', `must be after today (${today}, UTC)`);
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
