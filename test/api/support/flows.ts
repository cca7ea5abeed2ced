// Multi-step set-ups: a subscription started through the API, and its first payment notified by "2C2P".
import assert from 'node:assert/strict';
import type { ApiHarness, TestMerchant } from './api-harness.js';
import { notificationJson, signNotification, subscriptionBody } from './requests.js';

/** Polls `check` until it returns a value (not undefined), up to about five seconds. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  return assert.fail(`timed out waiting for ${what}`);
}

/** Starts a subscription through the API and waits for its projection row; returns its id and invoice prefix. */
export async function startSubscription(
  h: ApiHarness,
  merchant: TestMerchant,
  plan: Record<string, unknown> = {},
  fields: Record<string, unknown> = {},
): Promise<{ subscriptionId: string; invoicePrefix: string }> {
  const body = subscriptionBody(fields, plan);
  const answer = await h.request('POST', '/v1/subscriptions', { key: merchant.key, body });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  const invoicePrefix = await eventually(async () => {
    const { rows } = await h.pool.query<{ invoice_prefix: string }>(
      'SELECT invoice_prefix FROM subscriptions WHERE id = $1',
      [body.subscriptionId],
    );
    return rows[0]?.invoice_prefix;
  }, 'the subscription row');
  return { subscriptionId: body.subscriptionId, invoicePrefix };
}

/** Sends 2C2P's notification of a successful first payment; waits until the subscription is active and the charge stored. */
export async function payFirstCharge(
  h: ApiHarness,
  merchant: TestMerchant,
  s: { subscriptionId: string; invoicePrefix: string },
): Promise<string> {
  const invoiceNo = `${s.invoicePrefix}00000`;
  const payload = signNotification(notificationJson(merchant.id, invoiceNo), merchant.secret);
  const answer = await h.request('POST', '/v1/2c2p/notifications', { body: { payload } });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  await eventually(async () => {
    const view = await h.request('GET', `/v1/subscriptions/${s.subscriptionId}`, { key: merchant.key });
    return view.body.status === 'active' ? true : undefined;
  }, 'the subscription to become active');
  // The status is read from the workflow; the charge's row is written by an activity just after it.
  await eventually(async () => {
    const { rowCount } = await h.pool.query('SELECT 1 FROM charges WHERE invoice_no = $1', [invoiceNo]);
    return rowCount ? true : undefined;
  }, 'the charge row');
  return invoiceNo;
}

/** Starts a subscription and pays its first charge; returns its id, prefix and the paid invoice. */
export async function activeSubscription(
  h: ApiHarness,
  merchant: TestMerchant,
  plan: Record<string, unknown> = {},
  fields: Record<string, unknown> = {},
) {
  const s = await startSubscription(h, merchant, plan, fields);
  const invoiceNo = await payFirstCharge(h, merchant, s);
  return { ...s, invoiceNo };
}
