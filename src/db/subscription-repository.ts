// The subscriptions projection: written by the workflow's activities, read by the API.
import { TERMINAL_STATUSES, type Attention } from '../domain/subscription-model.js';
import { decodeCursor, encodeCursor, assertPageLimit } from './page-cursor.js';
import type { Queryable } from './pool.js';
import { assertCurrency, assertMinor, assertText, jsonParam, toIso, toIsoOrNull, toSafeInteger } from './row-values.js';

export const SUBSCRIPTION_STATUSES = [
  'pending_payment',
  'active',
  'past_due',
  'canceled',
  'completed',
  'incomplete',
  'unpaid',
  'needs_attention',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** Statuses after which nothing is charged again, as an SQL list (the values are the domain's constants). */
const TERMINAL_SQL = `(${TERMINAL_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/** A subscription as stored. Amounts are safe integers of minor units; dates are ISO strings. */
export interface SubscriptionRow {
  id: string;
  merchantId: string;
  customerId: string;
  status: SubscriptionStatus;
  currency: string;
  amountMinor: number;
  /** The workflow's Plan, stored as jsonb. */
  plan: unknown;
  recurringUniqueId: string | null;
  invoicePrefix: string;
  customerToken: string | null;
  /** 'YYYY-MM-DD'; always null once the status is terminal. */
  nextChargeDate: string | null;
  paymentUrl: string | null;
  workflowId: string;
  endedReason: string | null;
  /** Why the subscription needs an operator (status needs_attention), as the workflow reported it. */
  attention: Attention | null;
  stateVersion: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** What an activity writes: the workflow state at `stateVersion`. */
export interface SubscriptionUpsert {
  id: string;
  merchantId: string;
  customerId: string;
  status: SubscriptionStatus;
  currency: string;
  amountMinor: number;
  plan: unknown;
  invoicePrefix: string;
  workflowId: string;
  /** The workflow's monotonic state version; an older one never overwrites a newer one. */
  stateVersion: number;
  recurringUniqueId?: string | null;
  customerToken?: string | null;
  /** Ignored (stored as null) when the status is terminal: an ended subscription is never charged again. */
  nextChargeDate?: string | null;
  paymentUrl?: string | null;
  endedReason?: string | null;
  attention?: Attention | null;
  /** When the subscription was requested; now() when absent. Only the first write sets it. */
  createdAt?: string;
  /** When it reached a terminal status; now() when absent and the status is terminal. */
  closedAt?: string;
}

const COLUMNS = `id, merchant_id, customer_id, status, currency, amount_minor, plan, recurring_unique_id,
  invoice_prefix, customer_token, next_charge_date::text AS next_charge_date, payment_url, workflow_id, ended_reason,
  attention, state_version, created_at, updated_at, closed_at`;

const UPSERT = `
INSERT INTO subscriptions AS s (id, merchant_id, customer_id, status, currency, amount_minor, plan,
  recurring_unique_id, invoice_prefix, customer_token, next_charge_date, payment_url, workflow_id, ended_reason,
  attention, state_version, created_at, closed_at)
VALUES ($1, $2, $3, $4::text, $5, $6, $7::jsonb, $8, $9, $10,
  CASE WHEN $4::text NOT IN ${TERMINAL_SQL} THEN $11::date END, $12, $13, $14, $18::jsonb, $15,
  date_trunc('milliseconds', COALESCE($16::timestamptz, now())),
  CASE WHEN $4::text IN ${TERMINAL_SQL} THEN COALESCE($17::timestamptz, now()) END)
ON CONFLICT (id) DO UPDATE SET
  customer_id = EXCLUDED.customer_id, status = EXCLUDED.status, currency = EXCLUDED.currency,
  amount_minor = EXCLUDED.amount_minor, plan = EXCLUDED.plan, recurring_unique_id = EXCLUDED.recurring_unique_id,
  invoice_prefix = EXCLUDED.invoice_prefix, customer_token = EXCLUDED.customer_token,
  next_charge_date = EXCLUDED.next_charge_date, payment_url = EXCLUDED.payment_url, workflow_id = EXCLUDED.workflow_id,
  ended_reason = EXCLUDED.ended_reason, attention = EXCLUDED.attention, state_version = EXCLUDED.state_version,
  updated_at = now(),
  closed_at = CASE WHEN EXCLUDED.status IN ${TERMINAL_SQL} THEN COALESCE(s.closed_at, EXCLUDED.closed_at) END
WHERE s.state_version < EXCLUDED.state_version AND s.merchant_id = EXCLUDED.merchant_id
RETURNING ${COLUMNS}`;

/** Writes a subscription unless the stored one is as new or newer; returns the row as it now stands. */
export async function upsertSubscription(
  db: Queryable,
  s: SubscriptionUpsert,
): Promise<{ applied: boolean; row: SubscriptionRow }> {
  assertText(s.id, 'id');
  assertText(s.merchantId, 'merchantId');
  assertMinor(s.amountMinor, 'amountMinor');
  assertCurrency(s.currency);
  if (!Number.isSafeInteger(s.stateVersion) || s.stateVersion < 0) {
    throw new RangeError('stateVersion must be a non-negative safe integer');
  }
  const { rows } = await db.query(UPSERT, [
    s.id,
    s.merchantId,
    s.customerId,
    s.status,
    s.currency,
    s.amountMinor,
    jsonParam(s.plan),
    s.recurringUniqueId ?? null,
    s.invoicePrefix,
    s.customerToken ?? null,
    s.nextChargeDate ?? null,
    s.paymentUrl ?? null,
    s.workflowId,
    s.endedReason ?? null,
    s.stateVersion,
    s.createdAt ?? null,
    s.closedAt ?? null,
    jsonParam(s.attention),
  ]);
  if (rows[0]) return { applied: true, row: toSubscription(rows[0]) };
  const current = await getSubscription(db, s.id);
  if (!current) throw new Error(`subscription ${s.id} vanished during upsert`);
  // Ids are global; refusing here keeps one merchant's write from ever touching another's row.
  if (current.merchantId !== s.merchantId) throw new Error(`subscription ${s.id} belongs to another merchant`);
  return { applied: false, row: current };
}

/**
 * The stored status of a subscription and whether its plan equals `plan`, locking the row until the
 * transaction ends (so the events of the write that follows are decided against the row it replaces).
 */
export async function lockSubscriptionState(
  db: Queryable,
  id: string,
  plan: unknown,
): Promise<{ status: SubscriptionStatus; samePlan: boolean; paymentUrl: string | null } | undefined> {
  const { rows } = await db.query<{ status: SubscriptionStatus; same_plan: boolean; payment_url: string | null }>(
    'SELECT status, plan = $2::jsonb AS same_plan, payment_url FROM subscriptions WHERE id = $1 FOR UPDATE',
    [id, jsonParam(plan)],
  );
  const row = rows[0];
  return row ? { status: row.status, samePlan: row.same_plan, paymentUrl: row.payment_url } : undefined;
}

/** One subscription by id; with `merchantId`, only when it belongs to that merchant. */
export async function getSubscription(
  db: Queryable,
  id: string,
  merchantId?: string,
): Promise<SubscriptionRow | undefined> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM subscriptions WHERE id = $1 AND ($2::text IS NULL OR merchant_id = $2)`,
    [id, merchantId ?? null],
  );
  return rows[0] ? toSubscription(rows[0]) : undefined;
}

export interface ListSubscriptionsQuery {
  merchantId: string;
  status?: SubscriptionStatus;
  customerId?: string;
  /** 1 to 100; 20 when absent. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** A page of a merchant's subscriptions, newest first, keyset-paginated on (created_at, id). */
export async function listSubscriptions(
  db: Queryable,
  query: ListSubscriptionsQuery,
): Promise<{ items: SubscriptionRow[]; nextCursor: string | null }> {
  assertText(query.merchantId, 'merchantId');
  const limit = query.limit ?? 20;
  assertPageLimit(limit, 100);
  if (query.status !== undefined && !SUBSCRIPTION_STATUSES.includes(query.status)) {
    throw new RangeError(`status must be one of ${SUBSCRIPTION_STATUSES.join(', ')}`);
  }
  const values: unknown[] = [query.merchantId];
  const where = ['merchant_id = $1'];
  if (query.status !== undefined) where.push(`status = $${values.push(query.status)}`);
  if (query.customerId !== undefined) where.push(`customer_id = $${values.push(query.customerId)}`);
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    where.push(`(created_at, id) < ($${values.push(after.createdAt)}::timestamptz, $${values.push(after.id)})`);
  }
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM subscriptions WHERE ${where.join(' AND ')}
     ORDER BY created_at DESC, id DESC LIMIT $${values.push(limit + 1)}`,
    values,
  );
  const items = rows.slice(0, limit).map(toSubscription);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null;
  return { items, nextCursor };
}

/**
 * Every subscription not yet in a terminal status, across merchants, as (merchant, id) pairs in id order:
 * the workflows a test-clock advance must reach even before Temporal's visibility lists them.
 */
export async function listOpenSubscriptionKeys(
  db: Queryable,
): Promise<Array<{ merchantId: string; subscriptionId: string }>> {
  const { rows } = await db.query<{ merchant_id: string; id: string }>(
    `SELECT merchant_id, id FROM subscriptions WHERE status NOT IN ${TERMINAL_SQL} ORDER BY id`,
  );
  return rows.map((row) => ({ merchantId: row.merchant_id, subscriptionId: row.id }));
}

/** The merchant's subscription whose invoice prefix starts `invoiceNo` (routes a notification to its workflow). */
export async function findSubscriptionByInvoice(
  db: Queryable,
  merchantId: string,
  invoiceNo: string,
): Promise<SubscriptionRow | undefined> {
  assertText(invoiceNo, 'invoiceNo');
  const prefixes = Array.from({ length: invoiceNo.length }, (_, i) => invoiceNo.slice(0, i + 1));
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM subscriptions WHERE merchant_id = $1 AND invoice_prefix = ANY($2::text[])
     ORDER BY length(invoice_prefix) DESC LIMIT 1`,
    [merchantId, prefixes],
  );
  return rows[0] ? toSubscription(rows[0]) : undefined;
}

/**
 * The subscription a notification belongs to: the one whose plan it names (recurringUniqueID), else the
 * one whose invoice prefix starts its invoice number. 2C2P's numbering of recurring charges is not
 * documented, so the plan id is the reliable key when the notification carries it.
 */
export async function findSubscriptionForNotification(
  db: Queryable,
  merchantId: string,
  notification: { invoiceNo: string; recurringUniqueID?: string },
): Promise<SubscriptionRow | undefined> {
  if (notification.recurringUniqueID) {
    const { rows } = await db.query(
      `SELECT ${COLUMNS} FROM subscriptions WHERE merchant_id = $1 AND recurring_unique_id = $2 LIMIT 1`,
      [merchantId, notification.recurringUniqueID],
    );
    if (rows[0]) return toSubscription(rows[0]);
  }
  return findSubscriptionByInvoice(db, merchantId, notification.invoiceNo);
}

/** Which subscriptions `listSubscriptionsWithActivity` returns. */
export interface ActivityQuery {
  merchantId: string;
  /** First and last calendar day ('YYYY-MM-DD', inclusive) of activity; either may be absent (open-ended). */
  from?: string;
  to?: string;
  /** The IANA zone the days are read in (default UTC). */
  timeZone?: string;
}

/**
 * The merchant's subscriptions created, charged or refunded between `from` and `to` (days in `timeZone`),
 * oldest first; every one of the merchant's subscriptions when neither bound is given.
 */
export async function listSubscriptionsWithActivity(db: Queryable, query: ActivityQuery): Promise<SubscriptionRow[]> {
  assertText(query.merchantId, 'merchantId');
  for (const bound of [query.from, query.to]) {
    if (bound !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(bound))
      throw new RangeError('from and to must be YYYY-MM-DD');
  }
  const inRange = (instant: string) =>
    `(($2::date IS NULL OR (${instant} AT TIME ZONE $4)::date >= $2::date)
      AND ($3::date IS NULL OR (${instant} AT TIME ZONE $4)::date <= $3::date))`;
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM subscriptions s WHERE s.merchant_id = $1 AND (${inRange('s.created_at')}
       OR EXISTS (SELECT 1 FROM charges c WHERE c.merchant_id = s.merchant_id AND c.subscription_id = s.id
         AND ${inRange('COALESCE(c.transaction_at, c.recorded_at)')})
       OR EXISTS (SELECT 1 FROM refunds r WHERE r.merchant_id = s.merchant_id AND r.subscription_id = s.id
         AND (${inRange('r.created_at')} OR ${inRange('r.updated_at')})))
     ORDER BY s.created_at, s.id`,
    [query.merchantId, query.from ?? null, query.to ?? null, query.timeZone ?? 'UTC'],
  );
  return rows.map(toSubscription);
}

function toSubscription(r: Record<string, unknown>): SubscriptionRow {
  return {
    id: r.id as string,
    merchantId: r.merchant_id as string,
    customerId: r.customer_id as string,
    status: r.status as SubscriptionStatus,
    currency: r.currency as string,
    amountMinor: toSafeInteger(r.amount_minor, 'subscriptions.amount_minor'),
    plan: r.plan,
    recurringUniqueId: (r.recurring_unique_id as string | null) ?? null,
    invoicePrefix: r.invoice_prefix as string,
    customerToken: (r.customer_token as string | null) ?? null,
    nextChargeDate: (r.next_charge_date as string | null) ?? null,
    paymentUrl: (r.payment_url as string | null) ?? null,
    workflowId: r.workflow_id as string,
    endedReason: (r.ended_reason as string | null) ?? null,
    attention: (r.attention as Attention | null) ?? null,
    stateVersion: toSafeInteger(r.state_version, 'subscriptions.state_version'),
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
    closedAt: toIsoOrNull(r.closed_at),
  };
}

/**
 * Whether a notification's plan or invoice belongs to a subscription of a merchant other than `merchantId`: a
 * notification signed with one merchant's secret must never reach another merchant's subscription.
 */
export async function notificationBelongsToAnotherMerchant(
  db: Queryable,
  merchantId: string,
  notification: { invoiceNo: string; recurringUniqueID?: string },
): Promise<boolean> {
  assertText(notification.invoiceNo, 'invoiceNo');
  const prefixes = Array.from({ length: notification.invoiceNo.length }, (_, i) =>
    notification.invoiceNo.slice(0, i + 1),
  );
  const { rowCount } = await db.query(
    `SELECT 1 FROM subscriptions WHERE merchant_id <> $1
       AND (invoice_prefix = ANY($2::text[]) OR ($3::text IS NOT NULL AND recurring_unique_id = $3)) LIMIT 1`,
    [merchantId, prefixes, notification.recurringUniqueID ?? null],
  );
  return (rowCount ?? 0) > 0;
}
