// One line per business event (a charge, a refund, a plan change), written through the running activity's
// logger so each line also carries the workflowId, activityType and attempt Temporal adds.
import { Context } from '@temporalio/activity';

/** The ids a reader searches by; only these and plain amounts and codes go into an event line. */
export interface EventFields {
  merchantId: string;
  subscriptionId: string;
  invoiceNo?: string;
  [field: string]: string | number | boolean | undefined;
}

/** Logs `message` at `level` with `fields`; outside an activity (a unit test calling one directly) it is dropped. */
export function logEvent(level: 'info' | 'warn', message: string, fields: EventFields): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.log[level](message, fields);
}
