// `recur merchant add|list|rotate-keys`: credentials stored sealed, listed without secrets, rotated; readable refusals.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { masterKeyFromBase64 } from '../../src/credentials/master-key.js';
import { openCredentials, keyFingerprint } from '../../src/credentials/merchant-credentials.js';
import { closePool, createPool, getSealedCredentials } from '../../src/db/index.js';
import { generateKeyPair, importPublicKey } from '../../src/gateway/keys.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { recur } from './support.js';

describe('recur merchant', () => {
  let db: TestDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const masterKeyText = randomBytes(32).toString('base64');
  const secret = randomBytes(16).toString('hex');
  const merchantPair = generateKeyPair();
  const gatewayPair = generateKeyPair();
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  let files: { privateKey: string; gatewayKey: string; secret: string };

  before(async () => {
    db = await startTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'recur-merchant-'));
    env = { DATABASE_URL: db.url, RECUR_MASTER_KEY: masterKeyText };
    files = {
      privateKey: file('merchant-private.pem', merchantPair.privateKeyPem),
      gatewayKey: file('gateway-public.pem', gatewayPair.publicKeyPem),
      secret: file('secret', `${secret}\n`),
    };
  });
  after(async () => {
    await db?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const add = (extra: string[] = [], over: Partial<typeof files> = {}) => {
    const f = { ...files, ...over };
    return [
      'merchant',
      'add',
      '--private-key',
      f.privateKey,
      '--gateway-public-key',
      f.gatewayKey,
      '--secret-file',
      f.secret,
      ...extra,
    ];
  };

  it('when a merchant is added, then its credentials open with the master key and nothing secret is printed', async () => {
    const result = await recur(
      add(['--id', 'SHOP01', '--name', 'Shop One', '--gateway-merchant-id', '702702000000011']),
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /merchant SHOP01 onboarded \(2C2P merchant 702702000000011, key version 1/);
    assert.equal(result.stdout.includes(secret), false);
    assert.equal(result.stdout.includes('PRIVATE KEY'), false);
    const pool = createPool(db.url);
    try {
      const opened = openCredentials(masterKeyFromBase64(masterKeyText), (await getSealedCredentials(pool, 'SHOP01'))!);
      assert.equal(new TextDecoder().decode(opened.keys.secretKey), secret);
      assert.equal(opened.gatewayMerchantId, '702702000000011');
    } finally {
      await closePool(pool);
    }
  });

  it('when merchants are listed, then ids, names, fingerprints and times show, and no secret', async () => {
    const table = await recur(['merchant', 'list'], { DATABASE_URL: db.url });
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+NAME\s+2C2P ID\s+VERSION\s+PRIVATE KEY\s+2C2P KEY\s+CREATED\s+ROTATED/);
    assert.match(table.stdout, /SHOP01\s+Shop One\s+702702000000011\s+1\s+sha256:[0-9a-f]{16}…/);
    const json = await recur(['merchant', 'list', '--json'], { DATABASE_URL: db.url });
    const listed = JSON.parse(json.stdout).merchants.find((m: { id: string }) => m.id === 'SHOP01');
    assert.equal(listed.credentials.privateKeyFingerprint, keyFingerprint(importPublicKey(merchantPair.publicKeyPem)));
    assert.equal(json.stdout.includes(secret), false);
  });

  it('when keys are rotated, then the version moves on, the new key is stored and the others are kept', async () => {
    const next = generateKeyPair();
    const result = await recur(
      ['merchant', 'rotate-keys', '--id', 'SHOP01', '--private-key', file('next-private.pem', next.privateKeyPem)],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /keys rotated to version 2/);
    assert.match(result.stdout, /secret\s+kept/);
    const pool = createPool(db.url);
    try {
      const opened = openCredentials(masterKeyFromBase64(masterKeyText), (await getSealedCredentials(pool, 'SHOP01'))!);
      assert.equal(keyFingerprint(opened.keys.merchantPublicKey), keyFingerprint(importPublicKey(next.publicKeyPem)));
      assert.equal(new TextDecoder().decode(opened.keys.secretKey), secret);
    } finally {
      await closePool(pool);
    }
  });

  it('when a file is missing, a PEM is bad, the master key is absent or wrong, or the merchant exists, then exit 2 with a readable line', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [
        add(['--id', 'SHOP02'], { privateKey: join(dir, 'absent.pem') }),
        env,
        /--private-key: cannot read .*absent\.pem \(ENOENT\)/,
      ],
      [
        add(['--id', 'SHOP02'], { privateKey: file('bad.pem', 'hello') }),
        env,
        /ERR_CREDENTIALS_INVALID: --private-key: merchant private key must be a PKCS#8/,
      ],
      [
        add(['--id', 'SHOP02'], { gatewayKey: files.privateKey }),
        env,
        /--gateway-public-key: public key file holds a private key/,
      ],
      [add(['--id', 'SHOP02']), { DATABASE_URL: db.url }, /RECUR_MASTER_KEY or RECUR_MASTER_KEY_FILE is required/],
      [
        add(['--id', 'SHOP02']),
        { ...env, RECUR_MASTER_KEY: 'short' },
        /RECUR_MASTER_KEY: the master key must be base64 of 32 bytes/,
      ],
      [add(['--id', 'SHOP01']), env, /ERR_MERCHANT_EXISTS: --id: merchant SHOP01 already has credentials/],
      [
        add(['--id', 'SHOP02', '--gateway-merchant-id', '702702000000011']),
        env,
        /ERR_GATEWAY_MERCHANT_TAKEN: --gateway-merchant-id/,
      ],
      [['merchant', 'rotate-keys', '--id', 'NOPE', '--private-key', files.privateKey], env, /ERR_MERCHANT_NOT_FOUND/],
      [add([]), env, /--id is required/],
      [['merchant', 'frobnicate'], env, /usage: recur merchant add/],
    ];
    for (const [args, runEnv, expected] of cases) {
      const result = await recur(args, runEnv);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^recur: /);
      assert.match(result.stderr, expected);
      assert.equal(result.stderr.includes(secret) || result.stderr.includes(masterKeyText), false);
    }
    const pool = createPool(db.url);
    try {
      assert.equal(await getSealedCredentials(pool, 'SHOP02'), undefined);
    } finally {
      await closePool(pool);
    }
  });
});
