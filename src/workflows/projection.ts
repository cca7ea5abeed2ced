// Publishes the workflow's state: search attributes, current details and the PostgreSQL projection.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { toEpochMs } from '../domain/calendar-date.js';
import { ledger } from './activity-proxies.js';
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
  upsertSearchAttributes(updates);
  const attention = state.attention[0];
  setCurrentDetails(`**${status}** · ${details}${attention ? `\n\nneeds attention: ${attention.reason}` : ''}`);
}

/**
 * Writes the state to the database projection (older versions never overwrite newer ones). A failing
 * write is retried by its activity policy without end: the projection is rebuilt from the state, so it
 * never blocks what the workflow does next for longer than PostgreSQL is away.
 */
export async function publish(ctx: SubscriptionContext, details: string): Promise<void> {
  touch(ctx, details);
  await ledger(`Save subscription (${visibleStatus(ctx.state)})`).saveSubscription(viewOf(ctx.state));
}
