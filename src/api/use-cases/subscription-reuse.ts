// A subscriptionId used again: the same request may replay, another one is refused naming the first field that differs.
import { isDeepStrictEqual } from 'node:util';
import type { Client } from '@temporalio/client';
import { subscriptionWorkflowId, type SubscriptionInput } from '../../workflows/definitions.js';
import { ProblemError } from '../problem.js';
import { startedInput } from './started-input.js';

/**
 * What the caller chose, in the order of the request body, by its API field name. The request time, the
 * merchant (part of the workflow id) and deployment timings are not the caller's choice and are left out;
 * an omitted optional field compares as its default, so leaving out what the first request sent as the
 * default is the same request.
 */
const CHOSEN: ReadonlyArray<readonly [field: string, read: (input: SubscriptionInput) => unknown]> = [
  ['customerId', (i) => i.customerId],
  ['description', (i) => i.description],
  ['customerTokens', (i) => i.customerTokens ?? []],
  ['plan.amount', (i) => i.plan.amountMinor],
  ['plan.currency', (i) => i.plan.currency],
  ['plan.interval', (i) => i.plan.interval],
  ['plan.recurringCount', (i) => i.plan.recurringCount],
  ['plan.firstChargeDate', (i) => i.plan.firstChargeDate],
  ['plan.allowAccumulate', (i) => i.plan.allowAccumulate],
  ['plan.maxAccumulateAmount', (i) => i.plan.maxAccumulateMinor],
  ['dunning.windowDays', (i) => i.dunning.windowDays],
  ['dunning.reminders', (i) => i.dunning.reminders],
  ['refundPolicy', (i) => i.refundPolicy ?? 'none'],
  ['backendReturnUrl', (i) => i.backendReturnUrl ?? null],
  ['frontendReturnUrl', (i) => i.frontendReturnUrl ?? null],
];

/** The API name of the first field in which `requested` differs from the input the subscription started with. */
export function firstDifference(started: SubscriptionInput, requested: SubscriptionInput): string | undefined {
  return CHOSEN.find(([, read]) => !isDeepStrictEqual(read(started), read(requested)))?.[0];
}

/** The 409 for a subscriptionId that was first used with another request. */
export function reusedIdProblem(subscriptionId: string, field: string): ProblemError {
  const reason = 'differs from the request that created this subscription';
  return new ProblemError({
    kind: 'already-exists',
    detail: `subscription ${subscriptionId} was created by another request: ${field} ${reason}`,
    errors: [{ field, reason }],
  });
}

/**
 * Throws the 409 when a workflow with this subscription's id was started with another request; returns
 * whether a workflow exists at all. The stored values are never shown: only the field's name.
 */
export async function assertSameRequest(temporal: Client, requested: SubscriptionInput): Promise<boolean> {
  const workflowId = subscriptionWorkflowId(requested.merchantId, requested.subscriptionId);
  const started = await startedInput(temporal, workflowId);
  if (!started) return false;
  const field = firstDifference(started, requested);
  if (field) throw reusedIdProblem(requested.subscriptionId, field);
  return true;
}
