// Plan changes: validated once (the domain's plan rules), applied at 2C2P (RPP update), and on a prorated
// downgrade compensated by a refund of what was paid above the new price for the rest of the period.
import { chargeDate } from '../domain/billing-schedule.js';
import { toEpochMs } from '../domain/calendar-date.js';
import { planProblems } from '../domain/plan-rules.js';
import { downgradeRefundMinor } from '../domain/refund-rules.js';
import { gatewayForCaller } from './activity-proxies.js';
import { now, today } from './clock.js';
import { callerFacing } from './caller-facing.js';
import type { Plan, PlanChange, PlanChangeResult, RefundRecord } from './definitions.js';
import { publish } from './projection.js';
import { refundableOn, startRefund } from './refunds.js';
import { dueDate, reanchor } from './schedule.js';
import type { SubscriptionContext } from './subscription-context.js';
import { alreadyAnswered, refuse } from './update-guard.js';

const FIELDS = ['amountMinor', 'interval', 'recurringCount', 'allowAccumulate', 'maxAccumulateMinor'] as const;

/** The plan a change asks for: the current plan with the given fields replaced. */
export function changedPlan(current: Plan, change: PlanChange): Plan {
  const { prorate: _prorate, ...fields } = change;
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<Plan>;
  return { ...current, ...defined };
}

/** Rejects a plan change before it is accepted into history (and again once the lock is held). */
export function validatePlanChange(ctx: SubscriptionContext, change: PlanChange): void {
  if (alreadyAnswered(ctx)) return;
  const { state } = ctx;
  if (state.status !== 'active' && state.status !== 'past_due') {
    refuse('InvalidState', `a ${state.status} subscription cannot change its plan`);
  }
  if (!state.recurringUniqueID) refuse('InvalidState', 'the plan has no recurringUniqueID at 2C2P yet');
  // 2C2P may have taken (or be taking) a charge the workflow has not heard of yet: which date is "next" is
  // unknown until it is reconciled, so the change waits for that instead of sending a date in the past.
  if (state.nextChargeDate && toEpochMs(state.nextChargeDate) <= now(state)) {
    refuse(
      'InvalidState',
      `charge ${state.nextSequence} fell due on ${state.nextChargeDate} and is not reconciled yet; try again later`,
    );
  }
  if (!FIELDS.some((f) => change[f] !== undefined)) refuse('InvalidRequest', 'a plan change needs at least one field');
  // One validation of a plan for creation and change: the merged plan must pass what creation requires.
  const problem = planProblems(changedPlan(state.plan, change), ctx.input.dunning)[0];
  if (problem) {
    const field = problem.field === 'dunning.windowDays' && change.interval ? 'interval' : problem.field;
    refuse('InvalidRequest', `${field}: ${problem.message}`, field);
  }
  if (change.recurringCount !== undefined) {
    const made = state.nextSequence - 1;
    if (change.recurringCount !== 0 && change.recurringCount <= made) {
      refuse(
        'InvalidRequest',
        `recurringCount must exceed the ${made} charges already made (or be 0 for no end)`,
        'recurringCount',
      );
    }
  }
}

/** Applies a validated change at 2C2P (RPP update) and, on a prorated downgrade, refunds. Runs under the lock. */
export async function changePlan(ctx: SubscriptionContext, change: PlanChange): Promise<PlanChangeResult> {
  const { state } = ctx;
  validatePlanChange(ctx, change);
  // Everything below is read under the lock, so no charge can move the schedule between read and write.
  const before = state.plan;
  const plan = changedPlan(before, change);
  const sequence = state.nextSequence;
  const current = state.nextChargeDate;
  // A new interval starts at the next charge: on that date for day intervals, on the first matching day
  // of the month on or after it for day-of-month ones. 2C2P is sent the date the schedule will use.
  const chargeNextDate = current && change.interval ? chargeDate(current, change.interval, 1) : current;
  const recurringUniqueID = state.recurringUniqueID ?? '';
  await callerFacing(() =>
    gatewayForCaller(`Update RPP ${recurringUniqueID}`).changePlan({
      merchantId: state.merchantId,
      subscriptionId: state.subscriptionId,
      recurringUniqueID,
      plan,
      chargeNextDate,
    }),
  );
  if (change.interval && chargeNextDate) {
    reanchor(state, { sequence, date: chargeNextDate, interval: change.interval }, oldestNeededSequence(ctx));
  }
  state.plan = plan;
  state.nextChargeDate = chargeNextDate ? dueDate(state, state.nextSequence) : undefined;
  state.scheduleVersion += 1;

  let refund: RefundRecord | undefined;
  const paid = state.paidPeriod;
  if (change.prorate && paid && plan.amountMinor < paid.rateMinor) {
    const amount = downgradeRefundMinor(
      { period: paid.period, rateMinor: paid.rateMinor, refundableMinor: refundableOn(state, paid.invoiceNo) },
      plan.amountMinor,
      today(state),
    );
    if (amount > 0) refund = startRefund(ctx, paid.invoiceNo, amount, 'downgrade_prorated');
    // The rest of the period is now paid at the new price: a later downgrade or cancel starts from there.
    state.paidPeriod = { ...paid, rateMinor: plan.amountMinor };
  }
  await publish(ctx, `plan changed to ${plan.amountMinor} ${plan.currency}`);
  return { plan, nextChargeDate: state.nextChargeDate, refund };
}

/** The oldest charge whose period the workflow may still need (an overdue one in dunning). */
function oldestNeededSequence(ctx: SubscriptionContext): number {
  const { state } = ctx;
  return state.status === 'past_due' ? Math.max(1, state.nextSequence - 1) : state.nextSequence;
}
