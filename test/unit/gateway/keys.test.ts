// Key import: every format 2C2P and merchants use is read, and anything else fails at start-up with a
// message that never repeats the key.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importPrivateKey, importPublicKey, loadGatewayKeys } from '../../../src/gateway/keys.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const spki = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const sameKey = (a: { export: (o: { type: 'spki'; format: 'der' }) => Buffer }, b = rsa.publicKey) =>
  assert.deepEqual(a.export({ type: 'spki', format: 'der' }), b.export({ type: 'spki', format: 'der' }));

describe('gateway keys', () => {
  let dir: string;
  let certPem: string;
  let certDer: Buffer;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'recur-keys-'));
    writeFileSync(join(dir, 'key.pem'), pkcs8, { mode: 0o600 });
    // A self-signed certificate, as 2C2P hands out its public key (openssl is part of this machine's base).
    execFileSync('openssl', [
      'req',
      '-x509',
      '-new',
      '-key',
      join(dir, 'key.pem'),
      '-subj',
      '/CN=2c2p-test',
      '-days',
      '30',
      '-out',
      join(dir, 'cert.pem'),
    ]);
    execFileSync('openssl', ['x509', '-in', join(dir, 'cert.pem'), '-outform', 'DER', '-out', join(dir, 'cert.der')]);
    certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    certDer = readFileSync(join(dir, 'cert.der'));
    assert.equal(new X509Certificate(certDer).subject, 'CN=2c2p-test');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('when the merchant key is PKCS#8 or PKCS#1 PEM, then it imports as the same RSA key', () => {
    for (const pem of [pkcs8, pkcs1]) {
      const key = importPrivateKey(pem);
      assert.equal(key.type, 'private');
      assert.equal(key.asymmetricKeyType, 'rsa');
    }
  });

  it("when 2C2P's key is an X.509 certificate (PEM or DER) or an SPKI PEM, then the public key inside is imported", () => {
    sameKey(importPublicKey(certPem));
    sameKey(importPublicKey(certDer));
    sameKey(importPublicKey(spki));
  });

  it('when a key file is garbage, the wrong kind or not RSA, then a TypeError that never echoes the key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const bad: Array<[() => unknown, RegExp]> = [
      [() => importPrivateKey('not a key'), /PKCS#8/],
      [() => importPrivateKey(spki), /PKCS#8/],
      [() => importPrivateKey(pkcs8.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!')), /could not be read/],
      [() => importPrivateKey(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), /RSA/],
      [() => importPublicKey(pkcs8), /private key/],
      [() => importPublicKey(Buffer.from('garbage bytes')), /X\.509/],
      [() => importPublicKey(ec.publicKey.export({ type: 'spki', format: 'pem' }).toString()), /RSA/],
    ];
    const secretLine = pkcs8.split('\n')[2] ?? '';
    for (const [attempt, message] of bad) {
      assert.throws(attempt, (error: Error) => {
        assert.ok(error instanceof TypeError, `${error.name}: ${error.message}`);
        assert.match(error.message, message);
        assert.ok(!error.message.includes(secretLine.slice(0, 16)));
        return true;
      });
    }
  });

  it('when the configured files are loaded, then a missing file names its variable and an empty secret is refused', () => {
    const paths = {
      merchantPrivateKeyPath: join(dir, 'key.pem'),
      gatewayPublicKeyPath: join(dir, 'cert.der'),
      secretKey: 's3cret',
    };
    const keys = loadGatewayKeys(paths);
    sameKey(keys.merchantPublicKey);
    sameKey(keys.gatewayPublicKey);
    assert.throws(
      () => loadGatewayKeys({ ...paths, gatewayPublicKeyPath: join(dir, 'missing.cer') }),
      /TWOC2P_GATEWAY_PUBLIC_KEY/,
    );
    assert.throws(() => loadGatewayKeys({ ...paths, secretKey: '' }), /TWOC2P_SECRET_KEY/);
  });
});
