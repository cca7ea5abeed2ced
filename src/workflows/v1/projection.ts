// Publishes the workflow's state: search attributes, current details and the PostgreSQL projection.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { toEpochMs } from '../../domain/calendar-date.js';
import { ledger } from './activity-proxies.js';
import { NextChargeDateAttribute, SubscriptionStatusAttribute } from '../definitions.js';
import type { SubscriptionContext } from './subscription-context.js';
import { isTerminal, viewOf } from './subscription-state.js';

/** Marks a change: bumps the version and refreshes what operators filter and read in the UI. */
export function touch(ctx: SubscriptionContext, details: string): void {
  const { state } = ctx;
  state.version += 1;
  const updates: SearchAttributeUpdatePair[] = [
    { key: SubscriptionStatusAttribute, value: state.status },
    {
      key: NextChargeDateAttribute,
      value: !isTerminal(state.status) && state.nextChargeDate ? new Date(toEpochMs(state.nextChargeDate)) : null,
    },
  ];
  upsertSearchAttributes(updates);
  setCurrentDetails(`**${state.status}** · ${details}`);
}

/** Writes the state to the database projection (older versions never overwrite newer ones). */
export async function publish(ctx: SubscriptionContext, details: string): Promise<void> {
  touch(ctx, details);
  await ledger(`Save subscription (${ctx.state.status})`).saveSubscription(viewOf(ctx.state));
}
