// Moves the test clock: the sandbox's clock first (its charges, settlements and notifications happen), then
// every running subscription workflow is told the new time, so their waits take it into account.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type pg from 'pg';
import { ADVISORY_LOCKS, listOpenSubscriptionKeys, withAdvisoryLock } from '../../db/index.js';
import { subscriptionWorkflowId } from '../../domain/subscription-model.js';
import { testClockSignal } from '../../workflows/definitions.js';
import { unprocessable } from '../problem.js';
import { parseClockDuration, type TestClock } from '../test-clock.js';
import { SUBSCRIPTION_WORKFLOW_TYPE } from './start-subscription.js';

/** `{to}` (an ISO instant) or `{by}` (30d, 12h, 90m): exactly one. */
export interface ClockAdvance {
  to?: string;
  by?: string;
}

/** The instant an advance asks for, or a 422 naming the field. */
export function targetOf(request: ClockAdvance, current: Date): Date {
  if ((request.to === undefined) === (request.by === undefined))
    throw unprocessable('body', 'give exactly one of to and by');
  let target: Date;
  if (request.by !== undefined) {
    try {
      target = new Date(current.getTime() + parseClockDuration(request.by));
    } catch (error) {
      throw unprocessable('by', (error as Error).message);
    }
  } else {
    target = new Date(request.to ?? '');
    if (Number.isNaN(target.getTime())) throw unprocessable('to', 'must be an ISO 8601 date-time');
  }
  if (target.getTime() < current.getTime()) {
    throw unprocessable(
      request.to !== undefined ? 'to' : 'by',
      `the test clock only moves forward (it reads ${current.toISOString()})`,
    );
  }
  return target;
}

/** Signals sent at once: enough to tell thousands of subscriptions in seconds, few enough for one Temporal frontend. */
const SIGNALS_IN_FLIGHT = 16;

/**
 * Advances the test clock and tells every running subscription; answers the new time and how many heard it.
 * It holds the test-clock lock exclusively, and subscription starts hold it shared (startingOnTestClock):
 * a subscription started before the advance has its row by then and is told from the database's list, even
 * while Temporal's visibility (eventually consistent) does not list it yet; one started after reads the new time.
 */
export async function advanceTestClock(
  deps: { temporal: Client; pool: pg.Pool; testClock: TestClock },
  request: ClockAdvance,
): Promise<{ now: string; subscriptions: number }> {
  return withAdvisoryLock(deps.pool, ADVISORY_LOCKS.testClock, 'exclusive', async () => {
    const target = targetOf(request, await deps.testClock.now());
    const now = await deps.testClock.advanceTo(target);
    const workflowIds = new Set(
      (await listOpenSubscriptionKeys(deps.pool)).map((key) =>
        subscriptionWorkflowId(key.merchantId, key.subscriptionId),
      ),
    );
    // Runs whose subscription has ended may still follow a late charge or a refund: visibility lists those.
    const running = deps.temporal.workflow.list({
      query: `WorkflowType = '${SUBSCRIPTION_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`,
    });
    for await (const execution of running) workflowIds.add(execution.workflowId);

    let subscriptions = 0;
    const queue = [...workflowIds];
    const tell = async (): Promise<void> => {
      for (let workflowId = queue.pop(); workflowId !== undefined; workflowId = queue.pop()) {
        try {
          await deps.temporal.workflow.getHandle(workflowId).signal(testClockSignal, { nowMs: now.getTime() });
          subscriptions += 1;
        } catch (error) {
          // A run that ended meanwhile no longer waits for anything; any other failure must not pass unseen.
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: SIGNALS_IN_FLIGHT }, tell));
    return { now: now.toISOString(), subscriptions };
  });
}
