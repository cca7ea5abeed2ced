// The outbox dispatcher: hands each new event to every enabled endpoint that takes its type, by starting one
// delivery workflow per endpoint, then marks the event dispatched. Events are claimed with SKIP LOCKED, so
// several workers can run it side by side, and a crash between start and commit only repeats an idempotent start.
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { claimUndispatchedEvents, endpointsFor, markDispatched, withTransaction } from '../db/index.js';
import { startDelivery } from './start-delivery.js';

export interface DispatcherOptions {
  pool: pg.Pool;
  client: Client;
  /** The task queue delivery workflows run on (the worker's). */
  taskQueue: string;
  /** Pause between polls when nothing was waiting (default 250 ms: one indexed query on an empty outbox). */
  intervalMs?: number;
  /** Events claimed per transaction (default 100). */
  batchSize?: number;
  /** Told of a failed round (Temporal or PostgreSQL away); the next round tries again. */
  onError?: (error: unknown) => void;
}

export interface RunningDispatcher {
  /** Dispatches what is waiting now; resolves with the number of events dispatched. */
  dispatchNow(): Promise<number>;
  /** Stops polling and waits for the round in progress. */
  stop(): Promise<void>;
}

/** One round: claims waiting events, starts their deliveries and marks them dispatched, in one transaction. */
export async function dispatchEvents(options: DispatcherOptions): Promise<number> {
  return withTransaction(options.pool, async (tx) => {
    const events = await claimUndispatchedEvents(tx, options.batchSize ?? 100);
    for (const event of events) {
      for (const endpoint of await endpointsFor(tx, event.merchantId, event.type)) {
        await startDelivery(options.client, tx, options.taskQueue, {
          merchantId: event.merchantId,
          endpointId: endpoint.id,
          eventId: event.id,
        });
      }
    }
    if (events.length > 0)
      await markDispatched(
        tx,
        events.map((e) => e.id),
      );
    return events.length;
  });
}

/** Polls the outbox until stopped; a full batch is followed at once by the next. */
export function startDispatcher(options: DispatcherOptions): RunningDispatcher {
  const intervalMs = options.intervalMs ?? 250;
  let stopped = false;
  let wake: (() => void) | undefined;
  let round: Promise<number> = Promise.resolve(0);

  const runRound = (): Promise<number> => {
    round = round.then(
      () => dispatchEvents(options),
      () => dispatchEvents(options),
    );
    return round;
  };

  const loop = (async () => {
    while (!stopped) {
      let dispatched = 0;
      try {
        dispatched = await runRound();
      } catch (error) {
        options.onError?.(error);
      }
      if (dispatched >= (options.batchSize ?? 100) || stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();

  return {
    dispatchNow: runRound,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
