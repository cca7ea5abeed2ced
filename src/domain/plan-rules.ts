// One validation of a recurring plan and its dunning policy, used by the API at creation and by the
// workflow (and the API) for a plan change, so PATCH can never accept what POST refuses.
import { assertBillingInterval, shortestPeriodDays, type BillingInterval } from './billing-schedule.js';
import { currencyInfo } from './money.js';
import type { DunningPolicy, Plan } from './subscription-model.js';

/** The largest amount 2C2P's 12-digit RPP amount field can carry. */
export const MAX_AMOUNT_MINOR = 999_999_999_999;

/** One thing wrong with a plan; `field` is the Plan or DunningPolicy key (`dunning.windowDays`). */
export interface PlanProblem {
  field: keyof Plan | 'dunning.windowDays' | 'dunning.reminders';
  message: string;
}

/**
 * Whether 2C2P can bill in `currency` through every message the engine sends. Currencies with three
 * decimals (KWD, BHD) are refused: PaymentAction amounts (refunds) carry exactly two decimals, and how
 * 2C2P treats the third one is not documented.
 */
export function billingCurrencyProblem(currency: string): string | undefined {
  let exponent: number;
  try {
    exponent = currencyInfo(currency).exponent;
  } catch {
    return `${JSON.stringify(currency)} is not a supported ISO 4217 currency`;
  }
  if (exponent > 2) return `${currency} has ${exponent} decimals; 2C2P refund amounts carry at most two`;
  return undefined;
}

/**
 * The largest charge that every 2C2P amount field can carry in `currency`: RPP amounts are 12 digits of
 * minor units, and PaymentAction amounts (refunds) 12 digits with two decimals, so a currency without
 * decimals (JPY) is limited to 10 digits.
 */
export function maxAmountMinor(currency: string): number {
  let exponent = 2;
  try {
    exponent = Math.min(2, currencyInfo(currency).exponent);
  } catch {
    // an unknown currency is reported by billingCurrencyProblem
  }
  return Math.floor(MAX_AMOUNT_MINOR / 10 ** (2 - exponent));
}

/** The dunning policy a plan gets when it names none: a week, or less than its shortest period. */
export function defaultDunning(interval: BillingInterval): DunningPolicy {
  const windowDays = Math.max(0, Math.min(7, shortestPeriodDays(interval) - 1));
  return { windowDays, reminders: Math.min(2, windowDays) };
}

/** Every problem with a plan and its dunning policy; an empty list means 2C2P and the workflow accept it. */
export function planProblems(plan: Plan, dunning: DunningPolicy): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const currency = billingCurrencyProblem(plan.currency);
  if (currency) problems.push({ field: 'currency', message: currency });
  if (!isWhole(plan.amountMinor) || plan.amountMinor <= 0 || plan.amountMinor > maxAmountMinor(plan.currency)) {
    problems.push({
      field: 'amountMinor',
      message: `must be a positive amount of at most ${maxAmountMinor(plan.currency)} minor units`,
    });
  }
  let intervalValid = true;
  try {
    assertBillingInterval(plan.interval);
  } catch (error) {
    intervalValid = false;
    problems.push({ field: 'interval', message: (error as Error).message });
  }
  if (!isWhole(plan.recurringCount) || plan.recurringCount < 0) {
    problems.push({ field: 'recurringCount', message: 'must be a whole number ≥ 0 (0: until cancelled)' });
  }
  if (!isWhole(plan.maxAccumulateMinor) || plan.maxAccumulateMinor < 0 || plan.maxAccumulateMinor > MAX_AMOUNT_MINOR) {
    problems.push({ field: 'maxAccumulateMinor', message: 'must be a whole amount ≥ 0 of at most 12 digits' });
  } else if (plan.allowAccumulate && plan.maxAccumulateMinor === 0) {
    problems.push({ field: 'maxAccumulateMinor', message: 'must be above zero when allowAccumulate is true' });
  }
  if (!isWhole(dunning.windowDays) || dunning.windowDays < 0) {
    problems.push({ field: 'dunning.windowDays', message: 'must be a whole number of days ≥ 0 (0: no dunning)' });
  } else if (intervalValid && dunning.windowDays >= shortestPeriodDays(plan.interval)) {
    const shortest = shortestPeriodDays(plan.interval);
    problems.push({
      field: 'dunning.windowDays',
      message: `the ${dunning.windowDays}-day dunning window must be shorter than the plan's shortest period (${shortest} days)`,
    });
  }
  if (!isWhole(dunning.reminders) || dunning.reminders < 0 || dunning.reminders > Math.max(0, dunning.windowDays)) {
    problems.push({ field: 'dunning.reminders', message: 'must be a whole number from 0 to dunning.windowDays' });
  }
  return problems;
}

function isWhole(value: number): boolean {
  return Number.isSafeInteger(value);
}
