// Refunds as compensations: wait for settlement, check the balance, refund once, follow it to the end.
// A refund runs beside the main loop; it never rejects: a failure it cannot act on needs attention.
import { ApplicationFailure, log, patched } from '@temporalio/workflow';
import { refundableMinor } from '../domain/refund-rules.js';
import { gateway, ledger } from './activity-proxies.js';
import { closeAttention, failureDetailOf, failureTypeOf, openAttention, persist } from './attention.js';
import { now, sleepFor } from './clock.js';
import { WorkflowFailureType, type RefundReason, type RefundRecord } from './definitions.js';
import { publish } from './projection.js';
import type { SubscriptionContext } from './subscription-context.js';
import type { SubscriptionState } from './subscription-state.js';

const DECLINED = 'ERR_GATEWAY_DECLINED';
/** Status inquiries (a week at the default 6 h) after which a refund still pending needs an operator. */
const PENDING_POLLS_BEFORE_ATTENTION = 28;
/** Settlement inquiries (a week at the default 6 h) after which a charge still unsettled needs an operator. */
const SETTLEMENT_POLLS_BEFORE_ATTENTION = 28;

/**
 * The patch after which a refund whose charge 2C2P has not settled within a week needs attention (it keeps
 * waiting). Before it, the wait was visible only as the refund's `waiting_settlement`, for as long as it took.
 */
export const SETTLEMENT_ATTENTION_PATCH = 'refund-settlement-wait-attention';

/** Minor units still refundable on a successful charge the workflow keeps; 0 for any other invoice. */
export function refundableOn(state: SubscriptionState, invoiceNo: string): number {
  const charge = state.charges.find((c) => c.invoiceNo === invoiceNo && c.status === 'succeeded');
  if (!charge) return 0;
  return refundableMinor(
    charge.amountMinor,
    state.refunds.filter((r) => r.invoiceNo === invoiceNo),
  );
}

/** Registers a refund of `amountMinor` of a charge and processes it beside the main loop. */
export function startRefund(
  ctx: SubscriptionContext,
  invoiceNo: string,
  amountMinor: number,
  reason: RefundReason,
): RefundRecord {
  const { state } = ctx;
  const refundable = refundableOn(state, invoiceNo);
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || amountMinor > refundable) {
    throw ApplicationFailure.create({
      type: WorkflowFailureType.invalidRequest,
      message: `refund of ${amountMinor} exceeds what is left refundable on ${invoiceNo} (${refundable})`,
      nonRetryable: true,
    });
  }
  const number = state.refunds.filter((r) => r.invoiceNo === invoiceNo).length + 1;
  const charge = state.charges.find((c) => c.invoiceNo === invoiceNo);
  const refund: RefundRecord = {
    // Stable per refund: a retried or replayed refund call carries the same id, so 2C2P refunds once.
    idempotencyId: `${invoiceNo}-R${number}`,
    invoiceNo,
    amountMinor,
    currency: charge?.currency ?? state.plan.currency,
    reason,
    status: 'requested',
    requestedAt: new Date(now(state)).toISOString(),
  };
  state.refunds.push(refund);
  resumeRefund(ctx, refund);
  return { ...refund };
}

/** Runs (or, after continue-as-new, resumes) the processing of a refund that is not final yet. */
export function resumeRefund(ctx: SubscriptionContext, refund: RefundRecord): void {
  ctx.refundsInFlight += 1;
  processRefund(ctx, refund)
    .catch((error: unknown) => {
      // Only a bug in workflow code lands here (activity failures are handled inside): keep it visible.
      log.error('refund processing stopped by an unexpected error', {
        refund: refund.idempotencyId,
        error: String(error),
      });
    })
    .finally(() => {
      ctx.refundsInFlight -= 1;
    });
}

async function processRefund(ctx: SubscriptionContext, refund: RefundRecord): Promise<void> {
  const { state, timings } = ctx;
  const context = { merchantId: state.merchantId, subscriptionId: state.subscriptionId };
  const op = (what: string) => `Refund ${refund.idempotencyId}: ${what}`;
  const charge = state.charges.find((c) => c.invoiceNo === refund.invoiceNo);
  const save = async (summary: string) => {
    await persist(ctx, op('record'), () => ledger(ctx, summary).saveRefund({ ...context, refund: { ...refund } }));
    await publish(ctx, `refund ${refund.idempotencyId} ${refund.status}`);
  };
  const finish = async (status: 'succeeded' | 'failed', reason?: string) => {
    refund.status = status;
    if (reason) refund.respDesc = reason;
    await save(`Refund ${refund.idempotencyId} ${status}`);
  };
  await save(`Record refund ${refund.idempotencyId} requested`);

  // 2C2P refunds settled transactions only.
  for (let polls = 1; ; polls += 1) {
    const tx = await persist(ctx, op('settlement'), () =>
      gateway(`Is ${refund.invoiceNo} settled?`).inquireTransaction({
        ...context,
        invoiceNo: refund.invoiceNo,
        amountMinor: charge?.amountMinor,
        currency: charge?.currency,
      }),
    );
    if (tx?.settled || tx?.voided) await closeAttention(ctx, op('not settled'));
    if (tx?.settled) break;
    if (tx?.voided) return finish('failed', `transaction ${refund.invoiceNo} was voided`);
    if (refund.status !== 'waiting_settlement') {
      refund.status = 'waiting_settlement';
      await save(`Refund ${refund.idempotencyId} waits for settlement`);
    }
    if (polls === SETTLEMENT_POLLS_BEFORE_ATTENTION && patched(SETTLEMENT_ATTENTION_PATCH)) {
      await openAttention(ctx, {
        operation: op('not settled'),
        failureType: 'ChargeNotSettled',
        reason: `2C2P has not settled ${refund.invoiceNo} after ${polls} settlement inquiries; the refund waits for it`,
        attempts: polls,
        waitMs: timings.settlementPollMs,
      });
    }
    await sleepFor(
      state,
      timings.settlementPollMs,
      `refund ${refund.idempotencyId}: wait for ${refund.invoiceNo} to settle`,
    );
  }

  for (;;) {
    const balance = await persist(ctx, op('balance'), () =>
      gateway('Balance inquiry before refund').inquireBalance(context),
    );
    // A balance in another currency cannot be compared; 2C2P's own check (46) then decides.
    if (!balance || balance.currency !== refund.currency || balance.availableMinor >= refund.amountMinor) {
      try {
        const outcome = await persist(
          ctx,
          op('refund'),
          () =>
            gateway(`Refund ${refund.amountMinor} on ${refund.invoiceNo}`).refundCharge({
              ...context,
              invoiceNo: refund.invoiceNo,
              amountMinor: refund.amountMinor,
              currency: refund.currency,
              idempotencyId: refund.idempotencyId,
            }),
          { handles: [DECLINED] },
        );
        if (outcome) {
          Object.assign(refund, {
            respCode: outcome.respCode,
            respDesc: outcome.respDesc,
            referenceNo: outcome.referenceNo,
          });
          if (outcome.status !== 'pending') return finish(outcome.status);
          break;
        }
      } catch (error) {
        if (failureTypeOf(error) !== DECLINED) throw error;
        const decline = failureDetailOf(error);
        const detail = { respCode: decline.respCode ?? '', respDesc: decline.respDesc ?? decline.message ?? '' };
        if (detail.respCode !== '46') return finish('failed', `${detail.respCode} ${detail.respDesc}`.trim());
      }
    }
    await sleepFor(state, timings.balanceRetryMs, `refund ${refund.idempotencyId}: wait for the balance to cover it`);
  }

  refund.status = 'pending';
  await save(`Refund ${refund.idempotencyId} pending at 2C2P`);
  for (let polls = 1; ; polls += 1) {
    await sleepFor(state, timings.settlementPollMs, `refund ${refund.idempotencyId}: ask 2C2P its status again`);
    // A refund 2C2P never lists (49 after other refunds took the whole charge) must not wait unseen.
    if (polls === PENDING_POLLS_BEFORE_ATTENTION) {
      await openAttention(ctx, {
        operation: op('still pending'),
        failureType: 'RefundStillPending',
        reason:
          `2C2P has not reported refund ${refund.idempotencyId} final after ${polls} status inquiries (${refund.respCode ?? ''} ${refund.respDesc ?? ''})`.trim(),
        attempts: polls,
        waitMs: timings.settlementPollMs,
      });
    }
    const outcome = await persist(ctx, op('status'), () =>
      gateway(`Refund status ${refund.invoiceNo}`).inquireRefund({
        ...context,
        invoiceNo: refund.invoiceNo,
        referenceNo: refund.referenceNo,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
      }),
    );
    if (outcome && outcome.status !== 'pending') {
      Object.assign(refund, { respCode: outcome.respCode, respDesc: outcome.respDesc });
      await closeAttention(ctx, op('still pending'));
      return finish(outcome.status);
    }
  }
}
