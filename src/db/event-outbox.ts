// The events outbox: events not yet handed to webhook delivery, claimed by one dispatcher at a time.
import { EVENT_COLUMNS, toEvent, type EventRow } from './event-repository.js';
import type { Queryable } from './pool.js';

/**
 * Locks up to `limit` undispatched events, oldest first, skipping those another dispatcher holds. Call inside a
 * transaction and mark them with `markDispatched` before it commits.
 */
export async function claimUndispatchedEvents(tx: Queryable, limit: number): Promise<EventRow[]> {
  const { rows } = await tx.query(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE dispatched_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map(toEvent);
}

/** Marks events as handed to delivery. */
export async function markDispatched(tx: Queryable, ids: string[]): Promise<void> {
  await tx.query('UPDATE events SET dispatched_at = now() WHERE id = ANY($1::text[])', [ids]);
}
