// The Temporal SDK's log routed into Recur's logger: the SDK's own "Activity failed" for a decline is one
// info line with its code, never a stack or a task token; unexpected failures stay warnings with their cause.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { toActivityFailure } from '../../../src/activities/application-failure.js';
import { GatewayDeclinedError, GatewayUnavailableError } from '../../../src/gateway/errors.js';
import { createLogger } from '../../../src/logging/create-logger.js';
import { temporalLogger } from '../../../src/worker/temporal-logger.js';

const TASK_TOKEN = Buffer.from('the-task-token-of-this-activity').toString('base64');

/** Runs `fn` as an activity whose SDK logger is the adapter over a JSON logger kept in memory. */
async function runActivity(fn: () => Promise<unknown>, pretty = false) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', pretty, write: (text) => lines.push(text) });
  const env = new MockActivityEnvironment(
    { activityType: 'refundCharge', taskToken: Buffer.from('the-task-token-of-this-activity') },
    { logger: temporalLogger(logger) },
  );
  await env.run(fn).catch(() => undefined);
  return { lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const declined = () =>
  toActivityFailure(
    new GatewayDeclinedError({
      operation: 'refund',
      respCode: '4031',
      respDesc: 'Refund amount exceeds',
      classification: 'declined-final',
    }),
  );

describe('Temporal log adapter', () => {
  it('when an activity fails with a final decline, then the SDK line is one info line with its code', async () => {
    const { lines, records } = await runActivity(async () => {
      throw declined();
    });
    assert.equal(lines.length, 1, lines.join(''));
    const [record] = records();
    assert.equal(record?.level, 30);
    assert.equal(record?.msg, 'activity declined');
    assert.equal(record?.code, 'ERR_GATEWAY_DECLINED');
    assert.equal(record?.respCode, '4031');
    assert.equal(record?.activityType, 'refundCharge');
    const text = lines.join('');
    assert.doesNotMatch(text, /taskToken|stack|\s+at /);
    assert.ok(!text.includes(TASK_TOKEN), 'the task token was printed');
  });

  it('when the same decline prints in dev, then it is one readable line', async () => {
    const { lines } = await runActivity(async () => {
      throw declined();
    }, true);
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /^\S+ INFO {2}activity declined .*code=ERR_GATEWAY_DECLINED respCode=4031 .*\n$/);
  });

  it('when a failure is retryable, then it is a warning with its code and still no stack', async () => {
    const { records, lines } = await runActivity(async () => {
      throw toActivityFailure(new GatewayUnavailableError({ operation: 'refund', httpStatus: 503 }));
    });
    const [record] = records();
    assert.equal(record?.level, 40);
    assert.equal(record?.msg, 'Activity failed');
    assert.equal(record?.code, 'ERR_GATEWAY_UNAVAILABLE');
    assert.doesNotMatch(lines.join(''), /stack|taskToken/);
  });

  it('when an activity throws something that is no ApplicationFailure, then the warning keeps the error and its stack', async () => {
    const { records } = await runActivity(async () => {
      throw new Error('connection terminated unexpectedly');
    });
    const [record] = records();
    assert.equal(record?.level, 40);
    const err = record?.err as { message?: string; stack?: string } | undefined;
    assert.equal(err?.message, 'connection terminated unexpectedly');
    assert.match(err?.stack ?? '', /\n\s+at /);
    assert.equal(record?.taskToken, undefined);
  });

  it('when the worker reports a state change at INFO, then it is kept for debug level', () => {
    const lines: string[] = [];
    const adapter = temporalLogger(createLogger({ level: 'info', write: (text) => lines.push(text) }));
    adapter.info('Worker state changed', { sdkComponent: 'worker', state: 'RUNNING' });
    adapter.info('dunning reminder due', { sdkComponent: 'activity', invoiceNo: 'INV1' });
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as { msg: string }).msg),
      ['dunning reminder due'],
    );
  });
});
