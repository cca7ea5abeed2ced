// Publishes the workflow's state: search attributes, current details and the PostgreSQL projection.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { toEpochMs } from '../domain/calendar-date.js';
import { formatMoney, money } from '../domain/money.js';
import { ledger } from './activity-proxies.js';
import { now } from './clock.js';
import { leanHistory } from './lean-history.js';
import { NextChargeDateAttribute, SubscriptionStatusAttribute } from './definitions.js';
import type { SubscriptionContext } from './subscription-context.js';
import { isTerminal, viewOf, visibleStatus } from './subscription-state.js';

/** Marks a change: bumps the version and refreshes what operators filter and read in the UI. */
export function touch(ctx: SubscriptionContext, details: string): void {
  const { state } = ctx;
  state.version += 1;
  const status = visibleStatus(state);
  const updates: SearchAttributeUpdatePair[] = [
    { key: SubscriptionStatusAttribute, value: status },
    {
      key: NextChargeDateAttribute,
      value: !isTerminal(state.status) && state.nextChargeDate ? new Date(toEpochMs(state.nextChargeDate)) : null,
    },
  ];
  const changed = leanHistory() ? updates.filter(differsFromCurrent) : updates;
  if (changed.length > 0) upsertSearchAttributes(changed);
  setCurrentDetails(currentDetails(ctx, status, details));
}

/** Whether an upsert would change what the run's search attributes already hold (each upsert is a history event). */
export function differsFromCurrent(update: SearchAttributeUpdatePair): boolean {
  const current: unknown = workflowInfo().typedSearchAttributes.get(update.key);
  const next: unknown = update.value;
  if (current instanceof Date && next instanceof Date) return current.getTime() !== next.getTime();
  return (current ?? null) !== (next ?? null);
}

/** The run's current details in the Temporal UI (markdown): status, what happened last, what comes next. */
function currentDetails(ctx: SubscriptionContext, status: string, details: string): string {
  const { state } = ctx;
  const { plan } = state;
  const lines = [
    `**${status}** · ${details}`,
    `${formatMoney(money(plan.amountMinor, plan.currency))} ${plan.currency} per period · ` +
      `${state.charges.length} charge(s) recorded` +
      (!isTerminal(state.status) && state.nextChargeDate
        ? ` · next: charge ${state.nextSequence} due ${state.nextChargeDate}`
        : ''),
  ];
  for (const attention of state.attention) lines.push(`needs attention (${attention.operation}): ${attention.reason}`);
  if (state.clockOffsetMs) lines.push(`test clock: ${new Date(now(state)).toISOString()}`);
  return lines.join('\n\n');
}

/**
 * Writes the state to the database projection (older versions never overwrite newer ones). A failing
 * write is retried by its activity policy without end: the projection is rebuilt from the state, so it
 * never blocks what the workflow does next for longer than PostgreSQL is away.
 */
export async function publish(ctx: SubscriptionContext, details: string): Promise<void> {
  touch(ctx, details);
  await ledger(ctx, `Save subscription (${visibleStatus(ctx.state)})`).saveSubscription(viewOf(ctx.state));
}
