// Refunds as compensations: wait for settlement, check the balance, refund once, follow it to the end.
import { ApplicationFailure, sleep } from '@temporalio/workflow';
import { gateway, ledger } from './activity-proxies.js';
import { WorkflowFailureType, type RefundReason, type RefundRecord } from '../definitions.js';
import { publish } from './projection.js';
import type { SubscriptionContext } from './subscription-context.js';
import { refundableMinor } from './subscription-state.js';

/** Registers a refund of `amountMinor` of a charge and processes it in the background. */
export function startRefund(
  ctx: SubscriptionContext,
  invoiceNo: string,
  amountMinor: number,
  reason: RefundReason,
): RefundRecord {
  const { state } = ctx;
  const refundable = refundableMinor(state, invoiceNo);
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || amountMinor > refundable) {
    throw ApplicationFailure.create({
      type: WorkflowFailureType.invalidRequest,
      message: `refund of ${amountMinor} exceeds what is left refundable on ${invoiceNo} (${refundable})`,
      nonRetryable: true,
    });
  }
  const number = state.refunds.filter((r) => r.invoiceNo === invoiceNo).length + 1;
  const refund: RefundRecord = {
    // Stable per refund: a retried or replayed refund call carries the same id, so 2C2P refunds once.
    idempotencyId: `${invoiceNo}-R${number}`,
    invoiceNo,
    amountMinor,
    currency: state.plan.currency,
    reason,
    status: 'requested',
    requestedAt: new Date(Date.now()).toISOString(),
  };
  state.refunds.push(refund);
  resumeRefund(ctx, refund);
  return { ...refund };
}

/** Runs (or, after continue-as-new, resumes) the processing of a refund that is not final yet. */
export function resumeRefund(ctx: SubscriptionContext, refund: RefundRecord): void {
  ctx.refundsInFlight += 1;
  void processRefund(ctx, refund).finally(() => {
    ctx.refundsInFlight -= 1;
  });
}

async function processRefund(ctx: SubscriptionContext, refund: RefundRecord): Promise<void> {
  const { state, timings } = ctx;
  const context = { merchantId: state.merchantId, subscriptionId: state.subscriptionId };
  const save = async (summary: string) => {
    await ledger(summary).saveRefund({ ...context, refund: { ...refund } });
    await publish(ctx, `refund ${refund.idempotencyId} ${refund.status}`);
  };
  await save(`Record refund ${refund.idempotencyId} requested`);

  // 2C2P refunds settled transactions only.
  for (;;) {
    const tx = await gateway(`Is ${refund.invoiceNo} settled?`).inquireTransaction({
      ...context,
      invoiceNo: refund.invoiceNo,
    });
    if (tx.settled) break;
    if (tx.voided) return finish(`transaction ${refund.invoiceNo} was voided`, 'failed');
    if (refund.status !== 'waiting_settlement') {
      refund.status = 'waiting_settlement';
      await save(`Refund ${refund.idempotencyId} waits for settlement`);
    }
    await sleep(timings.settlementPollMs, { summary: `Wait for ${refund.invoiceNo} to settle` });
  }

  for (;;) {
    const balance = await gateway('Balance inquiry before refund').inquireBalance(context);
    // A balance in another currency cannot be compared; 2C2P's own check (46) then decides.
    if (balance.currency !== refund.currency || balance.availableMinor >= refund.amountMinor) {
      try {
        const outcome = await gateway(`Refund ${refund.amountMinor} on ${refund.invoiceNo}`).refundCharge({
          ...context,
          invoiceNo: refund.invoiceNo,
          amountMinor: refund.amountMinor,
          currency: refund.currency,
          idempotencyId: refund.idempotencyId,
        });
        Object.assign(refund, {
          respCode: outcome.respCode,
          respDesc: outcome.respDesc,
          referenceNo: outcome.referenceNo,
        });
        if (outcome.status !== 'pending') return finish(undefined, outcome.status);
        break;
      } catch (error) {
        const details = declineDetails(error);
        if (!details) throw error;
        if (details.respCode !== '46') return finish(`${details.respCode} ${details.respDesc}`, 'failed');
      }
    }
    await sleep(timings.balanceRetryMs, { summary: 'Wait for the merchant balance to cover the refund' });
  }

  refund.status = 'pending';
  await save(`Refund ${refund.idempotencyId} pending at 2C2P`);
  for (;;) {
    await sleep(timings.settlementPollMs, { summary: `Wait for pending refund ${refund.idempotencyId}` });
    const outcome = await gateway(`Refund status ${refund.invoiceNo}`).inquireRefund({
      ...context,
      invoiceNo: refund.invoiceNo,
      referenceNo: refund.referenceNo,
      amountMinor: refund.amountMinor,
      currency: refund.currency,
    });
    if (outcome.status !== 'pending') {
      Object.assign(refund, { respCode: outcome.respCode, respDesc: outcome.respDesc });
      return finish(undefined, outcome.status);
    }
  }

  async function finish(reason: string | undefined, status: 'succeeded' | 'failed'): Promise<void> {
    refund.status = status;
    if (reason) refund.respDesc = reason;
    await save(`Refund ${refund.idempotencyId} ${status}`);
  }
}

/** The 2C2P code behind a non-retryable decline, if that is what failed the activity. */
function declineDetails(error: unknown): { respCode: string; respDesc: string } | undefined {
  // Branch on the failure type, not on classes: failures cross the activity boundary as data.
  const cause = (error as { cause?: { type?: string; message?: string; details?: unknown[] } }).cause;
  if (cause?.type !== 'ERR_GATEWAY_DECLINED') return undefined;
  const detail = cause.details?.[0] as { respCode?: string; respDesc?: string } | undefined;
  return { respCode: detail?.respCode ?? '', respDesc: detail?.respDesc ?? cause.message ?? '' };
}
