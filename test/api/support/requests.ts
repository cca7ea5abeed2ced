// Request bodies, signed notifications and problem-document assertions shared by the API tests.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { addDays, toCalendarDate } from '../../../src/domain/calendar-date.js';
import type { Answer } from './api-harness.js';

/** A valid POST /v1/subscriptions body; `overrides` replace top-level fields, `plan` merges into the plan. */
export function subscriptionBody(
  overrides: Record<string, unknown> = {},
  plan: Record<string, unknown> = {},
): Record<string, any> {
  return {
    subscriptionId: `sub_${randomBytes(6).toString('hex')}`,
    customerId: 'cust_1',
    description: 'Gold plan',
    plan: {
      amount: '99.90',
      currency: 'SGD',
      interval: { dayOfMonth: 1 },
      recurringCount: 12,
      firstChargeDate: addDays(toCalendarDate(Date.now()), 30),
      allowAccumulate: false,
      ...plan,
    },
    ...overrides,
  };
}

/** An HS256 JWT whose payload bytes are exactly `json`, signed with `secret` (as 2C2P signs notifications). */
export function signNotification(json: string, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(json).toString('base64url');
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${header}.${payload}`)
    .digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The JSON text of a successful payment notification for `invoiceNo`. */
export function notificationJson(merchantId: string, invoiceNo: string, fields: Record<string, string> = {}): string {
  return JSON.stringify({
    merchantID: merchantId,
    invoiceNo,
    accountNo: '411111XXXXXX1111',
    amount: '99.90',
    currencyCode: 'SGD',
    tranRef: '1234567',
    referenceNo: '7654321',
    approvalCode: '123456',
    transactionDateTime: '20260701120000',
    respCode: '0000',
    respDesc: 'Success',
    // One plan per subscription, as at 2C2P: notifications are routed by it before the invoice prefix.
    recurringUniqueID: `RU${invoiceNo.slice(0, 12)}`,
    ...fields,
  });
}

/** Asserts an RFC 9457 problem with `status`, and (when given) an `errors` entry naming `field`. */
export function assertProblem(answer: Answer, status: number, field?: string): void {
  assert.equal(answer.status, status, `expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  assert.match(String(answer.headers['content-type']), /^application\/problem\+json/);
  assert.equal(answer.body.status, status);
  assert.equal(typeof answer.body.title, 'string');
  assert.match(answer.body.type, /^\/problems\//);
  if (field !== undefined) {
    const fields = (answer.body.errors ?? []).map((e: { field: string }) => e.field);
    assert.ok(fields.includes(field), `expected an error naming ${field}, got ${JSON.stringify(answer.body.errors)}`);
  }
}
