// Ending the plan at 2C2P from the workflow itself (dunning ran out, a payment came after the end): an
// RPP cancel that 2C2P refuses because the plan has already ended counts as done.
import { gateway } from './activity-proxies.js';
import { failureTypeOf, persist } from './attention.js';
import type { SubscriptionContext } from './subscription-context.js';

/** Cancels the RPP at 2C2P until it is cancelled (or found already ended). */
export async function endPlanAtGateway(
  ctx: SubscriptionContext,
  recurringUniqueID: string,
  why: string,
): Promise<void> {
  const { state } = ctx;
  const context = { merchantId: state.merchantId, subscriptionId: state.subscriptionId, recurringUniqueID };
  try {
    await persist(
      ctx,
      `Cancel RPP ${recurringUniqueID}`,
      // The whole plan, as 2C2P's cancel samples carry it; an ended subscription's next date comes from 2C2P.
      () => gateway(`Cancel RPP ${recurringUniqueID}: ${why}`).cancelPlan({ ...context, plan: state.plan }),
      { handles: ['ERR_GATEWAY_DECLINED'] },
    );
  } catch (error) {
    if (failureTypeOf(error) !== 'ERR_GATEWAY_DECLINED') throw error;
    const plan = await persist(ctx, `RPP inquiry ${recurringUniqueID}`, () =>
      gateway(`RPP inquiry ${recurringUniqueID} after a refused cancel`).inquirePlan(context),
    );
    // Still live after a refused cancel: try again on the attention schedule until 2C2P ends it.
    if (plan?.recurringStatus !== 'N') await endPlanAtGateway(ctx, recurringUniqueID, why);
  }
}
