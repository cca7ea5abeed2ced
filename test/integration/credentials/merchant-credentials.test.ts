// Merchant credentials in PostgreSQL: sealed at rest, listed without secrets, rotated, and served by the provider
// with a bounded cache and the TWOC2P_* merchant as a shortcut.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CredentialsProvider } from '../../../src/credentials/credentials-provider.js';
import { MissingCredentialsError } from '../../../src/credentials/credential-errors.js';
import { gatewayClients } from '../../../src/credentials/gateway-clients.js';
import { masterKeyFromBytes } from '../../../src/credentials/master-key.js';
import {
  keyFingerprint,
  onboardMerchant,
  openCredentials,
  rotateMerchantKeys,
  type MerchantCredentials,
} from '../../../src/credentials/merchant-credentials.js';
import { getSealedCredentials, listMerchantsWithCredentials } from '../../../src/db/index.js';
import { generateKeyPair, importPrivateKey, importPublicKey } from '../../../src/gateway/keys.js';
import { startMigratedDatabase, type MigratedDatabase } from '../db/migrated-database.js';

const kek = masterKeyFromBytes(randomBytes(32));
const gatewayPair = generateKeyPair();

function onboarding(id: string, gatewayMerchantId = id) {
  const pair = generateKeyPair();
  return {
    merchantId: id,
    name: `Shop ${id}`,
    gatewayMerchantId,
    privateKeyPem: pair.privateKeyPem,
    publicKeyPem: pair.publicKeyPem,
    gatewayPublicKeyPem: gatewayPair.publicKeyPem,
    secretCode: randomBytes(16).toString('hex'),
  };
}

let db: MigratedDatabase;
before(async () => {
  db = await startMigratedDatabase();
});
after(async () => {
  await db?.stop();
});

const fingerprintOf = (publicKeyPem: string) => keyFingerprint(importPublicKey(publicKeyPem));

describe('merchant credentials at rest', () => {
  it('when a merchant is onboarded, then no secret is stored in clear and the row opens into the same keys', async () => {
    const a = onboarding('SHOPA1', '702702000000001');
    await onboardMerchant(db.pool, kek, a);
    const { rows } = await db.pool.query<{ t: string }>(
      "SELECT row_to_json(c)::text || encode(private_key_sealed, 'escape') || encode(secret_code_sealed, 'escape') AS t FROM merchant_credentials c WHERE merchant_id = 'SHOPA1'",
    );
    const stored = rows[0]!.t;
    assert.equal(stored.includes(a.secretCode), false);
    assert.equal(stored.includes('PRIVATE KEY'), false);
    assert.equal(stored.includes(a.privateKeyPem.split('\n')[1]!), false);
    const opened = openCredentials(kek, (await getSealedCredentials(db.pool, 'SHOPA1'))!);
    assert.equal(opened.gatewayMerchantId, '702702000000001');
    assert.equal(opened.keyVersion, 1);
    assert.equal(new TextDecoder().decode(opened.keys.secretKey), a.secretCode);
    assert.equal(keyFingerprint(opened.keys.merchantPublicKey), fingerprintOf(a.publicKeyPem));
  });

  it("when the sealed fields of two merchants' rows are swapped, then neither opens", async () => {
    await onboardMerchant(db.pool, kek, onboarding('SWAP1'));
    await onboardMerchant(db.pool, kek, onboarding('SWAP2'));
    await db.pool.query(
      `UPDATE merchant_credentials AS c SET secret_code_sealed = o.secret_code_sealed
       FROM merchant_credentials o WHERE c.merchant_id IN ('SWAP1', 'SWAP2') AND o.merchant_id IN ('SWAP1', 'SWAP2')
       AND o.merchant_id <> c.merchant_id`,
    );
    for (const id of ['SWAP1', 'SWAP2']) {
      const row = (await getSealedCredentials(db.pool, id))!;
      assert.throws(() => openCredentials(kek, row), { code: 'ERR_CREDENTIALS_DECRYPT' });
    }
  });

  it('when the list is read, then it shows ids, names, fingerprints and times, never a sealed field', async () => {
    const listed = (await listMerchantsWithCredentials(db.pool)).find((m) => m.id === 'SHOPA1');
    assert.ok(listed?.credentials);
    assert.equal(listed.name, 'Shop SHOPA1');
    assert.equal(listed.credentials.gatewayMerchantId, '702702000000001');
    assert.equal(listed.credentials.gatewayKeyFingerprint, fingerprintOf(gatewayPair.publicKeyPem));
    assert.equal(listed.credentials.rotatedAt, null);
    assert.deepEqual(Object.keys(listed.credentials).sort(), [
      'createdAt',
      'gatewayKeyFingerprint',
      'gatewayMerchantId',
      'kekId',
      'keyVersion',
      'privateKeyFingerprint',
      'rotatedAt',
    ]);
  });

  it('when onboarding is wrong, then a typed error names the field and nothing is stored', async () => {
    const good = onboarding('BAD1');
    const cases: [Partial<typeof good>, string, string][] = [
      [{ privateKeyPem: 'not a pem' }, 'ERR_CREDENTIALS_INVALID', 'privateKey'],
      [{ privateKeyPem: gatewayPair.publicKeyPem }, 'ERR_CREDENTIALS_INVALID', 'privateKey'],
      [{ gatewayPublicKeyPem: good.privateKeyPem }, 'ERR_CREDENTIALS_INVALID', 'gatewayPublicKey'],
      [{ secretCode: ' ' }, 'ERR_CREDENTIALS_INVALID', 'secret'],
      [{ merchantId: 'has space' }, 'ERR_CREDENTIALS_INVALID', 'id'],
      [{ gatewayMerchantId: '702702000000001' }, 'ERR_GATEWAY_MERCHANT_TAKEN', 'gatewayMerchantId'],
      [{ merchantId: 'SHOPA1', gatewayMerchantId: 'OTHER' }, 'ERR_MERCHANT_EXISTS', 'id'],
    ];
    for (const [change, code, field] of cases) {
      await assert.rejects(onboardMerchant(db.pool, kek, { ...good, ...change }), { code, field });
    }
    assert.equal(await getSealedCredentials(db.pool, 'BAD1'), undefined);
  });
});

describe('credentials provider', () => {
  it('when keys are rotated, then the cache serves the old ones until its lifetime ends, then the new ones', async () => {
    const m = onboarding('ROT1');
    await onboardMerchant(db.pool, kek, m);
    let now = 1_000_000;
    const provider = new CredentialsProvider({ db: db.pool, masterKey: kek, ttlMs: 60_000, now: () => now });
    const first = await provider.credentialsFor('ROT1');
    assert.equal(keyFingerprint(first!.keys.merchantPublicKey), fingerprintOf(m.publicKeyPem));

    const next = generateKeyPair();
    const newSecret = randomBytes(16).toString('hex');
    const rotated = await rotateMerchantKeys(db.pool, kek, {
      merchantId: 'ROT1',
      privateKeyPem: next.privateKeyPem,
      secretCode: newSecret,
    });
    assert.equal(rotated.keyVersion, 2);
    assert.ok(rotated.rotatedAt);

    now += 59_999;
    assert.equal((await provider.credentialsFor('ROT1'))!.keyVersion, 1);
    now += 1;
    const fresh = (await provider.credentialsFor('ROT1'))!;
    assert.equal(fresh.keyVersion, 2);
    assert.equal(keyFingerprint(fresh.keys.merchantPublicKey), fingerprintOf(next.publicKeyPem));
    assert.equal(new TextDecoder().decode(fresh.keys.secretKey), newSecret);
    // The 2C2P key was not given, so it is kept.
    assert.equal(keyFingerprint(fresh.keys.gatewayPublicKey), fingerprintOf(gatewayPair.publicKeyPem));
  });

  it('when more merchants are asked for than the cache holds, then the least recently used is read again', async () => {
    for (const id of ['LRU1', 'LRU2', 'LRU3']) await onboardMerchant(db.pool, kek, onboarding(id));
    const provider = new CredentialsProvider({ db: db.pool, masterKey: kek, maxEntries: 2 });
    const one = await provider.credentialsFor('LRU1');
    const twoFirst = await provider.credentialsFor('LRU2');
    assert.equal(await provider.credentialsFor('LRU1'), one, 'a hit returns the cached object');
    await provider.credentialsFor('LRU3');
    assert.equal(await provider.credentialsFor('LRU1'), one, 'LRU1 was used last, so LRU2 was evicted');
    const twoAgain = await provider.credentialsFor('LRU2');
    assert.ok(twoAgain);
    assert.notEqual(twoAgain, twoFirst, 'LRU2 was read (and opened) again');
  });

  it('when a merchant has no row, then the TWOC2P_* merchant is served by its own id, and no other', async () => {
    const pair = generateKeyPair();
    const environmentMerchant: MerchantCredentials = {
      merchantId: 'ENVSHOP',
      gatewayMerchantId: 'ENVSHOP',
      keyVersion: 0,
      keys: {
        merchantPrivateKey: importPrivateKey(pair.privateKeyPem),
        merchantPublicKey: importPublicKey(pair.publicKeyPem),
        gatewayPublicKey: importPublicKey(gatewayPair.publicKeyPem),
        secretKey: new TextEncoder().encode('env-secret'),
      },
    };
    const provider = new CredentialsProvider({ db: db.pool, environmentMerchant });
    assert.equal(await provider.credentialsFor('ENVSHOP'), environmentMerchant);
    assert.equal(await provider.credentialsForGatewayMerchant('ENVSHOP'), environmentMerchant);
    assert.equal(await provider.credentialsFor('NOSUCH'), undefined);
    // Without a master key, a stored merchant cannot be opened: a typed error, not a silent fallback.
    await assert.rejects(provider.credentialsFor('SHOPA1'), { code: 'ERR_MASTER_KEY_MISSING' });
    const clients = gatewayClients(provider, { endpoints: { paymentActionBase: 'http://x', pgwBase: 'http://x' } });
    await assert.rejects(clients('NOSUCH'), (error: unknown) => error instanceof MissingCredentialsError);
  });

  it("when looked up by 2C2P's merchant id, then the merchant whose row has it is found", async () => {
    const provider = new CredentialsProvider({ db: db.pool, masterKey: kek });
    const found = await provider.credentialsForGatewayMerchant('702702000000001');
    assert.equal(found?.merchantId, 'SHOPA1');
    assert.equal(await provider.credentialsForGatewayMerchant('SHOPA1'), undefined);
  });

  it('when rotating under another master key without the secret, then it refuses (one row, one master key)', async () => {
    const other = masterKeyFromBytes(randomBytes(32));
    await assert.rejects(
      rotateMerchantKeys(db.pool, other, { merchantId: 'LRU1', privateKeyPem: generateKeyPair().privateKeyPem }),
      { code: 'ERR_MASTER_KEY_MISMATCH' },
    );
    await assert.rejects(
      rotateMerchantKeys(db.pool, kek, { merchantId: 'NOPE', privateKeyPem: generateKeyPair().privateKeyPem }),
      { code: 'ERR_MERCHANT_NOT_FOUND' },
    );
  });
});
