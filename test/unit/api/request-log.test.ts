// The API writes one log line per request, when it is answered: its route (not the raw URL, which may carry
// ids), status and time; probes at debug so they do not bury the business events.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { buildApiServer } from '../../../src/api/server.js';

/** The API with nothing behind it (these requests reach neither Temporal nor PostgreSQL), logging into `lines`. */
function apiLoggingTo(lines: Array<Record<string, unknown>>) {
  return buildApiServer({
    temporal: {} as unknown as Client,
    taskQueue: 'unused',
    pool: {} as unknown as pg.Pool,
    publicBaseUrl: 'http://127.0.0.1:3000',
    notificationMerchant: async () => undefined,
    balanceInquiry: async () => undefined,
    logger: {
      level: 'debug',
      stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    },
  });
}

describe('request log lines', () => {
  it('when a request is answered, then exactly one line says its method, route, status and time', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const app = apiLoggingTo(lines);
    await app.inject({ method: 'GET', url: '/v1/no-such-route/sub_123' });
    await app.close();
    const requestLines = lines.filter((line) => line.reqId !== undefined);
    assert.equal(requestLines.length, 1, JSON.stringify(requestLines));
    const [line] = requestLines;
    assert.equal(line?.msg, 'request answered');
    assert.equal(line?.level, 30);
    assert.equal(line?.method, 'GET');
    assert.equal(line?.route, 'unmatched');
    assert.equal(line?.statusCode, 404);
    assert.equal(typeof line?.ms, 'number');
  });

  it('when a probe asks /healthz, then its line is at debug', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const app = apiLoggingTo(lines);
    const answer = await app.inject({ method: 'GET', url: '/healthz' });
    await app.close();
    assert.equal(answer.statusCode, 200);
    const requestLines = lines.filter((line) => line.reqId !== undefined);
    assert.deepEqual(
      requestLines.map((line) => [line.msg, line.level, line.route]),
      [['request answered', 20, '/healthz']],
    );
  });
});
