// What the live-subscriptions benchmark reads from PostgreSQL, the merchant-facing record: how many
// subscriptions have a status, and when each recurring charge (and the notification that brought it) was stored.
import type pg from 'pg';

/** The benchmark found the engine wrong, not slow: a missing or doubled charge, a subscription stuck. */
export class LiveBenchError extends Error {
  readonly code = 'ERR_LIVE_BENCH';
  constructor(message: string) {
    super(message);
    this.name = 'LiveBenchError';
  }
}

/** Subscriptions of `merchantId` by status. */
export async function statusCounts(db: pg.Pool, merchantId: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM subscriptions WHERE merchant_id = $1 GROUP BY status',
    [merchantId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export interface WaitOptions {
  /** Fails once the count has not moved for this long: the engine is stuck, not slow. */
  stallMs: number;
  log(line: string): void;
}

/**
 * Polls `count` once a second until it reaches `expected`; resolves the wall-clock time it did. Throws
 * LiveBenchError (with `describe()`'s detail) when it stops moving for `stallMs`.
 */
export async function waitForCount(
  what: string,
  expected: number,
  count: () => Promise<number>,
  describe: () => Promise<string>,
  options: WaitOptions,
): Promise<number> {
  let last = -1;
  let movedAt = Date.now();
  let loggedAt = Date.now();
  for (;;) {
    const now = await count();
    if (now >= expected) return Date.now();
    if (now !== last) [last, movedAt] = [now, Date.now()];
    if (Date.now() - movedAt > options.stallMs) {
      throw new LiveBenchError(
        `${what}: stuck at ${now} of ${expected} for ${options.stallMs} ms (${await describe()})`,
      );
    }
    if (Date.now() - loggedAt > 15_000) {
      options.log(`  ${what}: ${now} of ${expected}`);
      loggedAt = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Recurring charges of `merchantId` stored so far. */
export async function recurringChargeCount(db: pg.Pool, merchantId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM charges WHERE merchant_id = $1 AND kind = 'recurring'`,
    [merchantId],
  );
  return rows[0]?.n ?? 0;
}

/** One subscription's recurring charges: how many, and when the first was stored and its notification received. */
export interface RecurringChargeTimes {
  subscriptionId: string;
  charges: number;
  statuses: string;
  recordedAtMs: number;
  /** When the API stored the charge's first notification (null when the charge came by inquiry). */
  notifiedAtMs: number | null;
}

/** Every subscription of `merchantId` with its recurring charges (charges 0 when it has none). */
export async function recurringChargeTimes(db: pg.Pool, merchantId: string): Promise<RecurringChargeTimes[]> {
  const { rows } = await db.query<RecurringChargeTimes>(
    `SELECT s.id AS "subscriptionId", count(c.invoice_no)::int AS charges,
            coalesce(string_agg(DISTINCT c.status, ','), '') AS statuses,
            (extract(epoch FROM min(c.recorded_at)) * 1000)::float8 AS "recordedAtMs",
            (extract(epoch FROM min(n.received_at)) * 1000)::float8 AS "notifiedAtMs"
       FROM subscriptions s
       LEFT JOIN charges c ON c.merchant_id = s.merchant_id AND c.subscription_id = s.id AND c.kind = 'recurring'
       LEFT JOIN LATERAL (
         SELECT min(received_at) AS received_at FROM notifications
          WHERE merchant_id = c.merchant_id AND invoice_no = c.invoice_no
       ) n ON true
      WHERE s.merchant_id = $1
      GROUP BY s.id`,
    [merchantId],
  );
  return rows;
}

/** Every subscription has exactly one recurring charge, and it succeeded; otherwise LiveBenchError naming a few. */
export function checkOneChargeEach(rows: readonly RecurringChargeTimes[], expected: number): void {
  if (rows.length !== expected) {
    throw new LiveBenchError(`expected ${expected} subscriptions in PostgreSQL, found ${rows.length}`);
  }
  const wrong = rows.filter((r) => r.charges !== 1 || r.statuses !== 'succeeded');
  if (wrong.length === 0) return;
  const examples = wrong
    .slice(0, 5)
    .map((r) => `${r.subscriptionId}: ${r.charges} charges (${r.statuses || 'none'})`)
    .join('; ');
  throw new LiveBenchError(
    `${wrong.length} of ${expected} subscriptions do not have exactly one succeeded recurring charge: ${examples}`,
  );
}
