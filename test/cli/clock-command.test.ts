// `recur clock`: what it asks the API for, what it prints, and the errors a person can act on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clockCommand } from '../../src/cli/clock-command.js';
import { UsageError } from '../../src/cli/usage-error.js';

function recorder(answer: { status: number; body: unknown }) {
  const calls: Array<{ url: string; method: string; body?: unknown; auth?: string }> = [];
  const fetchFn = (async (url: string, init: RequestInit = {}) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      body: init.body ? JSON.parse(String(init.body)) : undefined,
      auth: (init.headers as Record<string, string>).authorization,
    });
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  }) as typeof fetch;
  return { calls, fetchFn };
}

describe('recur clock', () => {
  const env = { RECUR_API_URL: 'http://api.test:3000/', RECUR_API_KEY: 'rk_test_x' };

  it('when asked to advance by 30d, then it posts {by} with the key and prints the new time', async () => {
    const { calls, fetchFn } = recorder({ status: 200, body: { now: '2027-01-31T00:00:00.000Z', subscriptions: 3 } });
    const out: string[] = [];
    await clockCommand(['advance', '30d'], { out: (t) => out.push(t), env }, fetchFn);
    assert.deepEqual(calls, [
      {
        url: 'http://api.test:3000/v1/test-clock/advance',
        method: 'POST',
        body: { by: '30d' },
        auth: 'Bearer rk_test_x',
      },
    ]);
    assert.deepEqual(out, ['test clock: 2027-01-31T00:00:00.000Z (3 running subscriptions told)']);
  });

  it('when asked to show or to advance --to, then it asks for that', async () => {
    const { calls, fetchFn } = recorder({ status: 200, body: { now: '2027-01-01T00:00:00.000Z' } });
    await clockCommand(['show'], { out: () => {}, env }, fetchFn);
    await clockCommand(['advance', '--to', '2027-02-01T00:00:00Z'], { out: () => {}, env }, fetchFn);
    assert.deepEqual(
      calls.map((c) => [c.method, c.url.replace('http://api.test:3000', ''), c.body]),
      [
        ['GET', '/v1/test-clock', undefined],
        ['POST', '/v1/test-clock/advance', { to: '2027-02-01T00:00:00Z' }],
      ],
    );
  });

  it('when the API has no test clock (real 2C2P), then it says so', async () => {
    const { fetchFn } = recorder({ status: 404, body: { detail: 'not found' } });
    await assert.rejects(clockCommand(['show'], { out: () => {}, env }, fetchFn), /has no test clock/);
  });

  it('when the key is missing or the words are wrong, then it is a usage error naming what to give', async () => {
    const { fetchFn } = recorder({ status: 200, body: {} });
    await assert.rejects(
      clockCommand(['show'], { out: () => {}, env: {} }, fetchFn),
      (e: unknown) => e instanceof UsageError && /RECUR_API_KEY/.test(String(e)),
    );
    await assert.rejects(clockCommand(['advance'], { out: () => {}, env }, fetchFn), UsageError);
  });
});
