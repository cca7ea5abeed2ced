// The patch that keeps a subscription's history short: database writes (and the checkout's payment token)
// run as local activities, one marker each instead of a task round trip, and search attributes are only
// upserted when they change. Runs started before it keep regular activities until they continue as new.
import { patched } from '@temporalio/workflow';

export const LEAN_HISTORY_PATCH = 'lean-history';

/** Whether this point of the run follows the lean-history code (always, for runs started after the patch). */
export function leanHistory(): boolean {
  return patched(LEAN_HISTORY_PATCH);
}
