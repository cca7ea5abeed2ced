// Runs a daily plan on the engine harness for a number of days: the first payment, then each day the
// sandbox charges and notifies and Temporal moves on, until the workflow has recorded every charge.
import assert from 'node:assert/strict';
import { addDays, toCalendarDate } from '../../src/domain/calendar-date.js';
import { stateQuery, type SubscriptionInput } from '../../src/workflows/definitions.js';
import type { EngineHarness } from './engine-harness.js';
import { eventually } from './eventually.js';
import { dueAt, HOUR, reaches, type SubscriptionHandle } from './subscription-steps.js';

export async function runDailyPlan(
  harness: EngineHarness,
  options: { days: number; historyLimit?: number; onDay?: (day: number) => void },
): Promise<{ input: SubscriptionInput; handle: SubscriptionHandle }> {
  const base = await harness.input();
  const firstChargeDate = addDays(toCalendarDate(await harness.now()), 1);
  const input: SubscriptionInput = {
    ...base,
    plan: { ...base.plan, interval: { kind: 'days', days: 1 }, firstChargeDate, recurringCount: 0, amountMinor: 199 },
    dunning: { windowDays: 0, reminders: 0 },
    historyLimit: options.historyLimit,
  };
  const { handle, checkout } = await harness.start(input);
  await harness.sandbox.approvePayment(checkout.paymentToken);
  await reaches(handle, 'active');
  for (let day = 1; day <= options.days; day += 1) {
    await harness.advanceTo(dueAt(input, day) + HOUR);
    options.onDay?.(day);
  }
  await eventually(async () => assert.equal((await handle.query(stateQuery)).nextSequence, options.days + 1), {
    timeoutMs: 60_000,
  });
  return { input, handle };
}
