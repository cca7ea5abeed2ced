// Unit tests for src/config.ts: one schema, defaults, every problem reported at once, keys imported at boot.
import assert from 'node:assert/strict';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  apiConfig,
  ConfigError,
  configuredTimeZone,
  databaseConfig,
  gatewayConfig,
  loadConfig,
  parsePartialEnvironment,
  subscriptionTimingsConfig,
  temporalConfig,
} from '../../src/config.js';

let dir: string;
let merchantPem: string;
const paths = { merchantPrivate: '', gatewayPublic: '', garbage: '', merchantPublic: '' };

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'recur-config-'));
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
  merchantPem = merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  paths.merchantPrivate = join(dir, 'merchant-private.pem');
  paths.merchantPublic = join(dir, 'merchant-public.pem');
  paths.gatewayPublic = join(dir, 'gateway-public.pem');
  paths.garbage = join(dir, 'garbage.pem');
  writeFileSync(paths.merchantPrivate, merchantPem, { mode: 0o600 });
  writeFileSync(paths.merchantPublic, merchant.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(paths.gatewayPublic, gateway.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(paths.garbage, 'not a key at all\n');
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** A complete, valid environment with only the required variables. */
function validEnv(): NodeJS.ProcessEnv {
  return {
    TWOC2P_MERCHANT_ID: '702702000000000',
    TWOC2P_MERCHANT_PRIVATE_KEY: paths.merchantPrivate,
    TWOC2P_GATEWAY_PUBLIC_KEY: paths.gatewayPublic,
    TWOC2P_SECRET_KEY: 'test-secret-generated-at-run-time',
  };
}

/** Runs loadConfig expecting a ConfigError and returns its problems. */
function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.equal(error.code, 'ERR_CONFIG');
    return error.problems;
  }
  assert.fail('loadConfig accepted a bad environment');
}

describe('loadConfig', () => {
  it('when only the required variables are set, then every default applies and the keys are imported', () => {
    const config = loadConfig(validEnv());
    assert.equal(config.gateway.merchantId, '702702000000000');
    assert.deepEqual(config.gateway.endpoints, {
      paymentActionBase: 'https://demo2.2c2p.com/2C2PFrontend',
      pgwBase: 'https://sandbox-pgw.2c2p.com',
    });
    assert.equal(config.gateway.currency, 'SGD');
    assert.equal(config.gateway.timeoutMs, 15000);
    assert.deepEqual(temporalConfig(config), {
      address: 'localhost:7233',
      namespace: 'default',
      taskQueue: 'recur-subscriptions',
    });
    assert.deepEqual(databaseConfig(config), { url: undefined });
    assert.deepEqual(apiConfig(config), { port: 3000, publicBaseUrl: 'http://localhost:3000' });
    assert.ok(config.gateway.keys.merchantPrivateKey instanceof KeyObject);
    assert.equal(config.gateway.keys.merchantPrivateKey.type, 'private');
    assert.equal(config.gateway.keys.gatewayPublicKey.type, 'public');
  });

  it('when optional variables are set, then they override the defaults and base URLs lose trailing slashes', () => {
    const config = loadConfig({
      ...validEnv(),
      TWOC2P_PAYMENT_ACTION_BASE: 'http://127.0.0.1:9000/2C2PFrontend/',
      TWOC2P_PGW_BASE: 'http://127.0.0.1:9000/',
      TWOC2P_CURRENCY: 'THB',
      TWOC2P_TIMEOUT_MS: '2500',
      TEMPORAL_ADDRESS: '127.0.0.1:7999',
      TEMPORAL_NAMESPACE: 'billing',
      TEMPORAL_TASK_QUEUE: 'q1',
      DATABASE_URL: 'postgres://recur:recur@127.0.0.1:5432/recur',
      API_PORT: '0',
      PUBLIC_BASE_URL: 'https://billing.example.test',
    });
    assert.deepEqual(gatewayConfig(config).endpoints, {
      paymentActionBase: 'http://127.0.0.1:9000/2C2PFrontend',
      pgwBase: 'http://127.0.0.1:9000',
    });
    assert.equal(gatewayConfig(config).timeoutMs, 2500);
    assert.equal(config.gateway.currency, 'THB');
    assert.equal(config.temporal.address, '127.0.0.1:7999');
    assert.equal(config.database.url, 'postgres://recur:recur@127.0.0.1:5432/recur');
    assert.equal(config.api.port, 0);
  });

  it('when a variable is blank, then it counts as unset', () => {
    const config = loadConfig({ ...validEnv(), TWOC2P_CURRENCY: '  ', API_PORT: '' });
    assert.equal(config.gateway.currency, 'SGD');
    assert.equal(config.api.port, 3000);
  });

  it('when many variables are wrong, then one ConfigError lists every one of them', () => {
    const problems = problemsOf({
      TWOC2P_MERCHANT_PRIVATE_KEY: join(dir, 'missing.pem'),
      TWOC2P_GATEWAY_PUBLIC_KEY: paths.garbage,
      TWOC2P_PAYMENT_ACTION_BASE: 'ftp://demo2.2c2p.com',
      TWOC2P_PGW_BASE: 'not a url',
      TWOC2P_CURRENCY: 'XYZ',
      TWOC2P_TIMEOUT_MS: 'soon',
      TEMPORAL_ADDRESS: 'localhost',
      DATABASE_URL: 'mysql://x@y/z',
      API_PORT: '70000',
      PUBLIC_BASE_URL: 'localhost:3000',
    });
    const variables = problems.map((p) => p.slice(0, p.indexOf(':')));
    assert.deepEqual([...variables].sort(), [
      'API_PORT',
      'DATABASE_URL',
      'PUBLIC_BASE_URL',
      'TEMPORAL_ADDRESS',
      'TWOC2P_CURRENCY',
      'TWOC2P_GATEWAY_PUBLIC_KEY',
      'TWOC2P_MERCHANT_ID',
      'TWOC2P_MERCHANT_PRIVATE_KEY',
      'TWOC2P_PAYMENT_ACTION_BASE',
      'TWOC2P_PGW_BASE',
      'TWOC2P_SECRET_KEY',
      'TWOC2P_TIMEOUT_MS',
    ]);
    assert.ok(problems.includes('TWOC2P_MERCHANT_ID: is required'));
    assert.ok(problems.includes('API_PORT: must be at most 65535'));
    assert.ok(problems.some((p) => p.startsWith('TWOC2P_MERCHANT_PRIVATE_KEY: cannot read') && p.includes('ENOENT')));
  });

  it('when the private key variable names a public key, then start-up fails naming the variable', () => {
    const problems = problemsOf({ ...validEnv(), TWOC2P_MERCHANT_PRIVATE_KEY: paths.merchantPublic });
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^TWOC2P_MERCHANT_PRIVATE_KEY: .*merchant-public\.pem is not a usable key/);
  });

  it('when the gateway key file is not a key, then the message names the variable and echoes no key material', () => {
    const problems = problemsOf({ ...validEnv(), TWOC2P_GATEWAY_PUBLIC_KEY: paths.merchantPrivate });
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^TWOC2P_GATEWAY_PUBLIC_KEY: /);
    const body = merchantPem.split('\n')[1] ?? '';
    assert.ok(body.length > 20);
    assert.ok(!problems[0]?.includes(body.slice(0, 20)));
  });

  it('when the secret key is malformed, then it is reported without echoing the secret', () => {
    const problems = problemsOf({ ...validEnv(), TWOC2P_SECRET_KEY: 'has a space', TWOC2P_MERCHANT_ID: '' });
    assert.ok(problems.every((p) => !p.includes('has a space')));
    assert.deepEqual([...problems].sort(), [
      'TWOC2P_MERCHANT_ID: is required',
      'TWOC2P_SECRET_KEY: must not contain spaces',
    ]);
  });
});

describe('2C2P time zone and payment link lifetime', () => {
  it('when neither is set, then 2C2P times are Asia/Bangkok and a payment link lives 24 hours', () => {
    const config = loadConfig(validEnv());
    assert.equal(gatewayConfig(config).timeZone, 'Asia/Bangkok');
    assert.deepEqual(subscriptionTimingsConfig(config), { paymentLinkTtlMs: 86_400_000 });
    assert.equal(configuredTimeZone({}), 'Asia/Bangkok');
  });

  it('when both are set, then the client gets the zone and new subscriptions the lifetime', () => {
    const config = loadConfig({
      ...validEnv(),
      TWOC2P_TIMEZONE: 'America/New_York',
      TWOC2P_PAYMENT_LINK_TTL_MS: '7200000',
    });
    assert.equal(gatewayConfig(config).timeZone, 'America/New_York');
    assert.equal(subscriptionTimingsConfig(config).paymentLinkTtlMs, 7_200_000);
    assert.equal(configuredTimeZone({ TWOC2P_TIMEZONE: 'UTC' }), 'UTC');
  });

  it('when TWOC2P_TIMEZONE is not an IANA zone, then start-up fails naming the variable', () => {
    for (const zone of ['Asia/Bangkokk', '+07:00', 'Bangkok time']) {
      assert.deepEqual(problemsOf({ ...validEnv(), TWOC2P_TIMEZONE: zone }), [
        'TWOC2P_TIMEZONE: must be an IANA time zone name such as Asia/Bangkok',
      ]);
    }
    assert.throws(
      () => configuredTimeZone({ TWOC2P_TIMEZONE: 'Mars/Olympus' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.problems[0] ?? '', /^TWOC2P_TIMEZONE: /);
        return true;
      },
    );
  });

  it('when the link lifetime is not a whole number of ms from a minute to 30 days, then start-up names it', () => {
    assert.deepEqual(problemsOf({ ...validEnv(), TWOC2P_PAYMENT_LINK_TTL_MS: '59999' }), [
      'TWOC2P_PAYMENT_LINK_TTL_MS: must be at least 60000',
    ]);
    assert.deepEqual(problemsOf({ ...validEnv(), TWOC2P_PAYMENT_LINK_TTL_MS: '24h' }), [
      'TWOC2P_PAYMENT_LINK_TTL_MS: must be a whole number',
    ]);
  });
});

describe('secrets from files (NAME_FILE)', () => {
  it('when TWOC2P_SECRET_KEY_FILE names a file, then its trimmed content is the secret', () => {
    const file = join(dir, 'secret');
    writeFileSync(file, 'secret-from-a-file\n', { mode: 0o600 });
    const { TWOC2P_SECRET_KEY: _unused, ...env } = validEnv();
    const config = loadConfig({ ...env, TWOC2P_SECRET_KEY_FILE: file });
    assert.equal(new TextDecoder().decode(config.gateway.keys.secretKey), 'secret-from-a-file');
  });

  it('when both the variable and its _FILE twin are set, or the file is unreadable, then ConfigError names the variable', () => {
    assert.deepEqual(problemsOf({ ...validEnv(), TWOC2P_SECRET_KEY_FILE: paths.garbage }), [
      'TWOC2P_SECRET_KEY_FILE: set either TWOC2P_SECRET_KEY or TWOC2P_SECRET_KEY_FILE, not both',
    ]);
    const { TWOC2P_SECRET_KEY: _unused, ...env } = validEnv();
    const problems = problemsOf({ ...env, TWOC2P_SECRET_KEY_FILE: join(dir, 'missing-secret') });
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^TWOC2P_SECRET_KEY_FILE: cannot read .*missing-secret \(ENOENT\)$/);
  });
});

describe('parsePartialEnvironment', () => {
  it('when merchant credentials are absent, then the rest still validates with defaults', () => {
    const env = parsePartialEnvironment({});
    assert.equal(env.TWOC2P_MERCHANT_ID, undefined);
    assert.equal(env.TWOC2P_CURRENCY, 'SGD');
  });

  it('when another variable is wrong, then it still fails with ConfigError', () => {
    assert.throws(() => parsePartialEnvironment({ API_PORT: '-1' }), ConfigError);
  });
});
