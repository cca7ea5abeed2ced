// Serializes the handlers that await (cancel, plan change, refund, retry) with the workflow's lock, and
// answers a retried update (same update id, even after continue-as-new) with the first answer.
import { ApplicationFailure, currentUpdateInfo } from '@temporalio/workflow';
import { WorkflowFailureType } from './definitions.js';
import type { SubscriptionContext } from './subscription-context.js';

/** How many answered updates a run remembers for retries. */
const REMEMBERED_UPDATES = 50;

/**
 * Runs `handler` alone: the lock is held from before its first read of the state to after its last
 * write, so two cancels (or a cancel and a charge) can never interleave. A handler whose update id was
 * already answered returns that answer without running again.
 */
export async function exclusiveUpdate<T>(ctx: SubscriptionContext, handler: () => Promise<T>): Promise<T> {
  const id = currentUpdateInfo()?.id;
  const answered = () => (id ? ctx.state.handledUpdates.find((u) => u.id === id) : undefined);
  const before = answered();
  if (before) return before.result as T;
  return ctx.lock.runExclusive(async () => {
    const meanwhile = answered();
    if (meanwhile) return meanwhile.result as T;
    const result = await handler();
    if (id) {
      ctx.state.handledUpdates.push({ id, result });
      if (ctx.state.handledUpdates.length > REMEMBERED_UPDATES) ctx.state.handledUpdates.shift();
    }
    return result;
  });
}

/** A refusal: InvalidState (409 at the API) or InvalidRequest (422), with the field when there is one. */
export function refuse(type: 'InvalidState' | 'InvalidRequest', message: string, field?: string): never {
  throw ApplicationFailure.create({
    type: WorkflowFailureType[type === 'InvalidState' ? 'invalidState' : 'invalidRequest'],
    message,
    details: field ? [{ field }] : undefined,
    nonRetryable: true,
  });
}

/** Whether this update id was already answered (validators let a retry through to get its answer). */
export function alreadyAnswered(ctx: SubscriptionContext): boolean {
  const id = currentUpdateInfo()?.id;
  return id !== undefined && ctx.state.handledUpdates.some((u) => u.id === id);
}
