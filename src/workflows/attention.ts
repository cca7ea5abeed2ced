// A gateway or database answer the workflow cannot act on (bad signature, undecryptable body, unknown
// code) never fails the run: the subscription shows `needs_attention` with the reason, the call is retried
// on a slow schedule, and the operator's `retry` update tries it again at once.
import { ActivityFailure, log } from '@temporalio/workflow';
import { instantLabel, now, waitUntil } from './clock.js';
import { publish } from './projection.js';
import type { SubscriptionContext } from './subscription-context.js';
import { isTerminal } from './subscription-state.js';

const DAY = 86_400_000;

/** The failure type behind an activity failure (ERR_GATEWAY_PROTOCOL, ERR_GATEWAY_DECLINED, …). */
export function failureTypeOf(error: unknown): string | undefined {
  if (!(error instanceof ActivityFailure)) return undefined;
  const cause = error.cause as { type?: string; name?: string } | undefined;
  return cause?.type ?? cause?.name ?? 'ActivityFailure';
}

/** What an activity failure says about a 2C2P answer: its failure type and message, and 2C2P's code and reason. */
export interface FailureDetail {
  type?: string;
  message?: string;
  respCode?: string;
  respDesc?: string;
}

/** Reads the failure's cause and its first detail (declines carry 2C2P's code there, as data, not a class). */
export function failureDetailOf(error: unknown): FailureDetail {
  const cause = (error as { cause?: { type?: string; message?: string; details?: unknown[] } }).cause;
  const detail = cause?.details?.[0] as { respCode?: string; respDesc?: string } | undefined;
  return { type: cause?.type, message: cause?.message, respCode: detail?.respCode, respDesc: detail?.respDesc };
}

export interface PersistOptions {
  /** Failure types the caller handles itself (a refused refund, a declined link): rethrown at once. */
  handles?: readonly string[];
  /** Stop (undefined) once the subscription has ended; compensations leave this unset and keep going. */
  whileOpen?: boolean;
}

/**
 * Runs `call` until it succeeds. Retryable faults are retried inside the activity; a final failure opens
 * an attention entry for `operation` and waits (timings.attentionRetryMs, doubling, at most a day) or
 * until an operator asks for a retry. Errors that are not activity failures are bugs and propagate.
 */
export async function persist<T>(
  ctx: SubscriptionContext,
  operation: string,
  call: () => Promise<T>,
  options: PersistOptions = {},
): Promise<T | undefined> {
  const { state } = ctx;
  for (let attempts = 1; ; attempts += 1) {
    try {
      const result = await call();
      if (attempts > 1) await closeAttention(ctx, operation);
      return result;
    } catch (error) {
      const type = failureTypeOf(error);
      if (type === undefined) throw error;
      if (options.handles?.includes(type)) {
        if (attempts > 1) await closeAttention(ctx, operation);
        throw error;
      }
      const waitMs = Math.min(DAY, ctx.timings.attentionRetryMs * 2 ** Math.min(attempts - 1, 20));
      const reason = messageOf(error);
      log.error('2C2P or the database answered in a way the workflow cannot act on; retrying later', {
        operation,
        failureType: type,
        reason,
        attempts,
        waitMs,
      });
      await openAttention(ctx, { operation, failureType: type, reason, attempts, waitMs });
      const retries = ctx.retryRequests;
      const retryAt = now(state) + waitMs;
      await waitUntil(
        state,
        () => ctx.retryRequests !== retries || (!!options.whileOpen && isTerminal(state.status)),
        retryAt,
        `retry "${operation}" at ${instantLabel(retryAt)} or on an operator's retry`,
      );
      if (options.whileOpen && isTerminal(state.status)) {
        await closeAttention(ctx, operation);
        return undefined;
      }
    }
  }
}

/** Opens (or refreshes) the attention entry of `operation`. */
export async function openAttention(
  ctx: SubscriptionContext,
  problem: { operation: string; failureType: string; reason: string; attempts: number; waitMs: number },
): Promise<void> {
  const { state } = ctx;
  const at = now(state);
  const existing = state.attention.find((a) => a.operation === problem.operation);
  const entry = {
    operation: problem.operation,
    failureType: problem.failureType,
    reason: problem.reason,
    since: existing?.since ?? new Date(at).toISOString(),
    attempts: problem.attempts,
    nextAttemptAt: new Date(at + problem.waitMs).toISOString(),
  };
  state.attention = [...state.attention.filter((a) => a.operation !== problem.operation), entry];
  await publish(ctx, `needs attention: ${problem.operation}`);
}

/** Closes the attention entry of `operation`, if one is open. */
export async function closeAttention(ctx: SubscriptionContext, operation: string): Promise<void> {
  const { state } = ctx;
  if (!state.attention.some((a) => a.operation === operation)) return;
  state.attention = state.attention.filter((a) => a.operation !== operation);
  log.info('call succeeded after needing attention', { operation });
  await publish(ctx, `${operation} succeeded`);
}

function messageOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string } }).cause;
  return (cause?.message ?? (error as Error).message ?? String(error)).slice(0, 500);
}
