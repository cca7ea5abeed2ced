// Turns a validated POST /v1/subscriptions body into the workflow's SubscriptionInput (all 422 checks here).
import { randomUUID } from 'node:crypto';
import { shortestPeriodDays, type BillingInterval } from '../../domain/billing-schedule.js';
import { daysBetween, isCalendarDate, toCalendarDate } from '../../domain/calendar-date.js';
import type { SubscriptionInput, SubscriptionTimings } from '../../workflows/definitions.js';
import { readAmount, readCurrency } from '../money-fields.js';
import { unprocessable } from '../problem.js';
import type { CreateSubscriptionBody } from '../schemas/create-subscription.js';

const DEFAULT_DUNNING = { windowDays: 7, reminders: 2 };

/** The API's interval (`{days}` or `{dayOfMonth}`) as the domain's BillingInterval. */
export function toBillingInterval(interval: { days: number } | { dayOfMonth: number }): BillingInterval {
  return 'days' in interval
    ? { kind: 'days', days: interval.days }
    : { kind: 'day-of-month', day: interval.dayOfMonth };
}

/** Where the request comes from and what the deployment adds to it. */
export interface InputContext {
  merchantId: string;
  now: Date;
  defaultBackendReturnUrl: string;
  timings?: Partial<SubscriptionTimings>;
}

/** Builds the workflow input, or throws a 422 naming the first field that cannot be accepted. */
export function toSubscriptionInput(body: CreateSubscriptionBody, ctx: InputContext): SubscriptionInput {
  const { plan } = body;
  const currency = readCurrency('plan.currency', plan.currency);
  const amountMinor = readAmount('plan.amount', plan.amount, currency);
  const allowAccumulate = plan.allowAccumulate ?? false;
  if (allowAccumulate && plan.maxAccumulateAmount === undefined) {
    throw unprocessable('plan.maxAccumulateAmount', 'is required when allowAccumulate is true');
  }
  const maxAccumulateMinor =
    plan.maxAccumulateAmount === undefined
      ? 0
      : readAmount('plan.maxAccumulateAmount', plan.maxAccumulateAmount, currency, { allowZero: !allowAccumulate });

  if (!isCalendarDate(plan.firstChargeDate))
    throw unprocessable('plan.firstChargeDate', `${plan.firstChargeDate} is not a calendar date`);
  const today = toCalendarDate(ctx.now.getTime());
  if (daysBetween(today, plan.firstChargeDate) < 1) {
    throw unprocessable('plan.firstChargeDate', `must be after today (${today}, UTC)`);
  }

  const interval = toBillingInterval(plan.interval);
  const dunning = { ...DEFAULT_DUNNING, ...body.dunning };
  const shortest = shortestPeriodDays(interval);
  if (dunning.windowDays >= shortest) {
    throw unprocessable('dunning.windowDays', `must be shorter than the plan's shortest period (${shortest} days)`);
  }
  if (dunning.reminders > dunning.windowDays)
    throw unprocessable('dunning.reminders', 'must not exceed dunning.windowDays');

  const input: SubscriptionInput = {
    merchantId: ctx.merchantId,
    subscriptionId: body.subscriptionId ?? `sub_${randomUUID().replace(/-/g, '')}`,
    customerId: body.customerId,
    description: body.description,
    plan: {
      amountMinor,
      currency,
      interval,
      recurringCount: plan.recurringCount,
      firstChargeDate: plan.firstChargeDate,
      allowAccumulate,
      maxAccumulateMinor,
    },
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
