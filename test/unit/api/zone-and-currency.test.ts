// The API's share of 2C2P's local time and currency codes: a first charge must fall after today in 2C2P's zone
// too, and a notification's numeric currencyCode reaches the workflow as its alphabetic code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { withAlphaCurrency } from '../../../src/api/use-cases/notification-currency.js';
import { toSubscriptionInput } from '../../../src/api/use-cases/subscription-input.js';
import type { CreateSubscriptionBody } from '../../../src/api/schemas/create-subscription.js';

const body = (firstChargeDate: string) =>
  ({
    customerId: 'cust_1',
    description: 'Gold plan',
    plan: { amount: '99.90', currency: 'SGD', interval: { days: 30 }, recurringCount: 12, firstChargeDate },
  }) as CreateSubscriptionBody;
// 18:00 UTC on 14 January is 01:00 on 15 January in Bangkok.
const context = (timeZone?: string, now = '2027-01-14T18:00:00Z') => ({
  merchantId: 'JT01',
  now: new Date(now),
  defaultBackendReturnUrl: 'https://recur.test/v1/2c2p/notifications',
  ...(timeZone ? { timeZone } : {}),
});

describe('first charge date and 2C2P today', () => {
  it('when it is already tomorrow in Bangkok, then a first charge on that date is refused naming the zone', () => {
    assert.throws(
      () => toSubscriptionInput(body('2027-01-15'), context()),
      (error: { code?: string; errors?: { field: string; reason: string }[] }) => {
        assert.equal(error.code, 'unprocessable-request');
        assert.equal(error.errors?.[0]?.field, 'plan.firstChargeDate');
        assert.match(error.errors?.[0]?.reason ?? '', /after today \(2027-01-15, Asia\/Bangkok\)/);
        return true;
      },
    );
    assert.equal(toSubscriptionInput(body('2027-01-16'), context()).plan.firstChargeDate, '2027-01-16');
  });

  it('when the zone is UTC or behind it, then UTC today still bounds the first charge', () => {
    assert.equal(toSubscriptionInput(body('2027-01-15'), context('UTC')).plan.firstChargeDate, '2027-01-15');
    // 02:00 UTC on 15 January is still the 14th in New York: UTC's today is the later one.
    assert.throws(
      () => toSubscriptionInput(body('2027-01-15'), context('America/New_York', '2027-01-15T02:00:00Z')),
      /after today \(2027-01-15, UTC\)/,
    );
  });
});

describe('notification currencyCode', () => {
  const warnings: unknown[] = [];
  const log = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as FastifyBaseLogger;
  const notification = { invoiceNo: 'INV1', respCode: '0000', respDesc: 'Success', amount: '99.90' };

  it('when a notification says currencyCode 702, then the workflow is told SGD', () => {
    assert.equal(withAlphaCurrency({ ...notification, currencyCode: '702' }, log).currencyCode, 'SGD');
    assert.equal(withAlphaCurrency({ ...notification, currencyCode: '36' }, log).currencyCode, 'AUD');
    assert.equal(withAlphaCurrency({ ...notification, currencyCode: 'THB' }, log).currencyCode, 'THB');
    assert.equal(warnings.length, 0);
  });

  it('when the code is one no table knows, then it is left out and logged, so the plan currency is recorded', () => {
    const read = withAlphaCurrency({ ...notification, currencyCode: '999' }, log);
    assert.equal('currencyCode' in read, false);
    assert.equal(read.amount, '99.90');
    assert.equal(warnings.length, 1);
  });
});
