// WORKER_METRICS_PORT, TEMPORAL_METRICS_PORT and METRICS_TOKEN in the one environment schema.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseEnvironment } from '../../../src/config.js';

const base = {
  TWOC2P_MERCHANT_ID: 'M1',
  TWOC2P_MERCHANT_PRIVATE_KEY: '/unused/private.pem',
  TWOC2P_GATEWAY_PUBLIC_KEY: '/unused/public.pem',
  TWOC2P_SECRET_KEY: 'generated-at-run-time',
};

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    parseEnvironment(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('the environment was accepted');
}

describe('metrics configuration', () => {
  it('when nothing is set, then the worker serves 9464, the SDK 9465, and no token is asked', () => {
    const env = parseEnvironment(base);
    assert.equal(env.WORKER_METRICS_PORT, 9464);
    assert.equal(env.TEMPORAL_METRICS_PORT, 9465);
    assert.equal(env.METRICS_TOKEN, undefined);
  });

  it('when a port is 0 or off, then that listener is off; another number moves it', () => {
    for (const off of ['0', 'off'])
      assert.equal(parseEnvironment({ ...base, WORKER_METRICS_PORT: off }).WORKER_METRICS_PORT, undefined, off);
    assert.equal(parseEnvironment({ ...base, TEMPORAL_METRICS_PORT: 'off' }).TEMPORAL_METRICS_PORT, undefined);
    assert.equal(parseEnvironment({ ...base, WORKER_METRICS_PORT: '9100' }).WORKER_METRICS_PORT, 9100);
  });

  it('when a port is not one, then start-up stops naming each variable', () => {
    const problems = problemsOf({ ...base, WORKER_METRICS_PORT: '70000', TEMPORAL_METRICS_PORT: 'yes' });
    assert.deepEqual([...problems].sort(), [
      'TEMPORAL_METRICS_PORT: must be a port (1 to 65535), or 0 or off to turn it off',
      'WORKER_METRICS_PORT: must be a port (1 to 65535), or 0 or off to turn it off',
    ]);
  });

  it('when METRICS_TOKEN is set, then it is kept; with a space it is refused', () => {
    assert.equal(parseEnvironment({ ...base, METRICS_TOKEN: 'abc123' }).METRICS_TOKEN, 'abc123');
    assert.deepEqual(problemsOf({ ...base, METRICS_TOKEN: 'a b' }), ['METRICS_TOKEN: must not contain spaces']);
  });
});
