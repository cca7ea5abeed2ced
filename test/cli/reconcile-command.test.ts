// `recur reconcile` through the real bin: usage, configuration and connection errors exit 2 with one line.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair } from '../../src/gateway/keys.js';
import { startMigratedDatabase } from '../integration/db/migrated-database.js';
import { recur } from './support.js';

let dir: string;
let configured: NodeJS.ProcessEnv;

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'recur-reconcile-'));
  const merchant = generateKeyPair(2048);
  const gateway = generateKeyPair(2048);
  writeFileSync(join(dir, 'merchant.pem'), merchant.privateKeyPem);
  writeFileSync(join(dir, 'gateway.pem'), gateway.publicKeyPem);
  const port = await closedPort();
  configured = {
    TWOC2P_MERCHANT_ID: 'JT01',
    TWOC2P_MERCHANT_PRIVATE_KEY: join(dir, 'merchant.pem'),
    TWOC2P_GATEWAY_PUBLIC_KEY: join(dir, 'gateway.pem'),
    TWOC2P_SECRET_KEY: 'a'.repeat(64),
    TWOC2P_PAYMENT_ACTION_BASE: `http://127.0.0.1:${port}/2C2PFrontend`,
    TWOC2P_PGW_BASE: `http://127.0.0.1:${port}`,
    DATABASE_URL: `postgres://recur:recur@127.0.0.1:${port}/recur`,
  };
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('recur reconcile', () => {
  it('when a flag is unknown, then one usage line and exit 2', async () => {
    const result = await recur(['reconcile', '--fix'], {});
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trimEnd().split('\n').length, 1);
    assert.match(result.stderr, /^recur: .*--fix.*usage: recur reconcile/);
  });

  it('when a date is malformed or impossible, or --from is after --to, then exit 2 naming the flag', async () => {
    for (const [args, pattern] of [
      [['--from', '2026-13-01'], /--from: expected a date YYYY-MM-DD/],
      [['--to', '2026-02-30'], /--to: expected a date YYYY-MM-DD/],
      [['--from', '2026-03-01', '--to', '2026-02-01'], /--from is after --to/],
      [['--merchant', 'bad id!'], /--merchant: expected/],
    ] as const) {
      const result = await recur(['reconcile', ...args], {});
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, pattern);
    }
  });

  it('when asked for help, then the usage is printed and the exit code is 0', async () => {
    const result = await recur(['reconcile', '--help'], {});
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^usage: recur reconcile/);
    assert.match(result.stdout, /--repair/);
  });

  it('when the environment is not configured, then every problem is listed and the exit code is 2', async () => {
    const result = await recur(['reconcile'], {});
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^recur: invalid configuration: .*TWOC2P_MERCHANT_ID/);
  });

  it('when --merchant names a merchant with no stored credentials and not the TWOC2P_* one, then exit 2', async () => {
    // A deployment's database, migrated by its API and worker.
    const db = await startMigratedDatabase();
    try {
      const result = await recur(['reconcile', '--merchant', 'OTHER'], { ...configured, DATABASE_URL: db.url });
      assert.equal(result.code, 2, result.stderr);
      assert.match(
        result.stderr,
        /--merchant OTHER: no 2C2P credentials \(onboard it with recur merchant add; TWOC2P_MERCHANT_ID is JT01\)/,
      );
    } finally {
      await db.stop();
    }
  });

  it('when PostgreSQL cannot be reached, then one readable line and exit 2, not a stack trace', async () => {
    const result = await recur(['reconcile', '--json'], configured);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.trimEnd().split('\n').length, 1);
    assert.match(result.stderr, /^recur: .*ECONNREFUSED/);
  });
});
