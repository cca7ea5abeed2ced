// The sealing of merchant credentials: AES-256-GCM checked against node:crypto at run time, and every tampering refused.
import assert from 'node:assert/strict';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../../src/config.js';
import { CredentialDecryptionError, openField, sealField } from '../../../src/credentials/credential-cipher.js';
import { masterKeyFrom, masterKeyFromBase64, masterKeyFromBytes } from '../../../src/credentials/master-key.js';

const rawKey = randomBytes(32);
const kek = masterKeyFromBytes(rawKey);
const binding = { merchantId: 'MERCHANTA01', field: 'secret_code' } as const;
const plaintext = Buffer.from(randomBytes(24).toString('hex'));

const refuses = (fn: () => unknown) =>
  assert.throws(
    fn,
    (error: unknown) => error instanceof CredentialDecryptionError && error.code === 'ERR_CREDENTIALS_DECRYPT',
  );

describe('credential cipher', () => {
  it('when a field is sealed, then plain AES-256-GCM with the documented layout and additional data opens it', () => {
    const sealed = sealField(kek, binding, plaintext);
    assert.equal(sealed[0], 0x01);
    assert.equal(sealed.length, 1 + 12 + 16 + plaintext.length);
    // An independent decryption, from the raw key and the layout alone, is the vector computed at run time.
    const decipher = createDecipheriv('aes-256-gcm', rawKey, sealed.subarray(1, 13));
    decipher.setAAD(Buffer.from(JSON.stringify(['recur/merchant-credentials/v1', 'MERCHANTA01', 'secret_code'])));
    decipher.setAuthTag(sealed.subarray(13, 29));
    assert.deepEqual(Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]), plaintext);
    assert.deepEqual(openField(kek, binding, sealed), plaintext);
  });

  it('when the same value is sealed twice, then the IVs and ciphertexts differ and the plaintext appears in neither', () => {
    const a = sealField(kek, binding, plaintext);
    const b = sealField(kek, binding, plaintext);
    assert.notDeepEqual(a.subarray(1, 13), b.subarray(1, 13));
    assert.notDeepEqual(a, b);
    assert.equal(a.includes(plaintext), false);
  });

  it('when any byte of a sealed field is flipped, then it does not open', () => {
    const sealed = sealField(kek, binding, plaintext);
    for (let i = 0; i < sealed.length; i += 1) {
      const tampered = Buffer.from(sealed);
      tampered[i] = (tampered[i] ?? 0) ^ 0x01;
      refuses(() => openField(kek, binding, tampered));
    }
  });

  it('when a sealed field is truncated or empty, then it does not open', () => {
    const sealed = sealField(kek, binding, plaintext);
    refuses(() => openField(kek, binding, sealed.subarray(0, sealed.length - 1)));
    refuses(() => openField(kek, binding, sealed.subarray(0, 28)));
    refuses(() => openField(kek, binding, Buffer.alloc(0)));
  });

  it("when a ciphertext is moved to another merchant's row or another field, then it does not open", () => {
    const sealed = sealField(kek, binding, plaintext);
    refuses(() => openField(kek, { merchantId: 'MERCHANTB02', field: 'secret_code' }, sealed));
    refuses(() => openField(kek, { merchantId: 'MERCHANTA01', field: 'private_key' }, sealed));
  });

  it('when another master key opens it, then it does not open, and the error says nothing of the plaintext', () => {
    const sealed = sealField(kek, binding, plaintext);
    const other = masterKeyFromBytes(randomBytes(32));
    assert.notEqual(other.id, kek.id);
    assert.throws(
      () => openField(other, binding, sealed),
      (error: Error) => error instanceof CredentialDecryptionError && !error.message.includes(plaintext.toString()),
    );
  });
});

describe('master key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recur-kek-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('when RECUR_MASTER_KEY holds base64 of 32 bytes, then its id is stable and depends on the key', () => {
    const text = rawKey.toString('base64');
    const key = masterKeyFrom({ RECUR_MASTER_KEY: text });
    assert.equal(key?.id, kek.id);
    assert.match(kek.id, /^kek_[0-9a-f]{16}$/);
    assert.equal(masterKeyFromBase64(rawKey.toString('base64url')).id, kek.id);
    const sealed = sealField(key!, binding, plaintext);
    assert.deepEqual(openField(kek, binding, sealed), plaintext);
  });

  it('when RECUR_MASTER_KEY_FILE names a file with the base64 key, then it is read from there', () => {
    const file = join(dir, 'kek');
    writeFileSync(file, `${rawKey.toString('base64')}\n`, { mode: 0o600 });
    assert.equal(masterKeyFrom({ RECUR_MASTER_KEY_FILE: file })?.id, kek.id);
  });

  it('when neither variable is set, then there is no master key', () => {
    assert.equal(masterKeyFrom({}), undefined);
    assert.equal(masterKeyFrom({ RECUR_MASTER_KEY: '  ' }), undefined);
  });

  it('when the key is malformed, missing or given twice, then a ConfigError names the variable and never the value', () => {
    const short = randomBytes(16).toString('base64');
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ RECUR_MASTER_KEY: short }, /^RECUR_MASTER_KEY: the master key must be base64 of 32 bytes/],
      [{ RECUR_MASTER_KEY: 'not base64 at all!' }, /^RECUR_MASTER_KEY: /],
      [{ RECUR_MASTER_KEY_FILE: join(dir, 'absent') }, /^RECUR_MASTER_KEY_FILE: cannot read .*absent \(ENOENT\)/],
      [{ RECUR_MASTER_KEY: rawKey.toString('base64'), RECUR_MASTER_KEY_FILE: join(dir, 'kek') }, /not both/],
    ];
    for (const [env, expected] of cases) {
      assert.throws(
        () => masterKeyFrom(env),
        (error: unknown) =>
          error instanceof ConfigError &&
          expected.test(error.problems[0] ?? '') &&
          !error.message.includes(short) &&
          !error.message.includes(rawKey.toString('base64')),
      );
    }
  });

  it('when raw bytes are not 32 long, then a RangeError', () => {
    assert.throws(() => masterKeyFromBytes(randomBytes(31)), RangeError);
  });
});
