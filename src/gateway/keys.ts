// Key material: the merchant's RSA key pair, 2C2P's public key (certificate or SPKI) and the HS256
// secret. Imported once at start-up so a wrong key fails there, never at the first call.
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Everything the client needs to sign, seal, open and verify. */
export interface GatewayKeys {
  merchantPrivateKey: KeyObject;
  merchantPublicKey: KeyObject;
  gatewayPublicKey: KeyObject;
  secretKey: Uint8Array;
}

/** Imports an RSA private key from PKCS#8 or PKCS#1 PEM; TypeError otherwise (the key is never echoed). */
export function importPrivateKey(pem: string | Buffer): KeyObject {
  const text = pem.toString();
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(text)) {
    throw new TypeError(
      'merchant private key must be a PKCS#8 ("BEGIN PRIVATE KEY") or PKCS#1 ("BEGIN RSA PRIVATE KEY") PEM',
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new TypeError('merchant private key could not be read (corrupt or encrypted PEM)');
  }
  assertRsa(key, 'merchant private key');
  return key;
}

/** Imports a public key from an X.509 certificate (PEM or DER) or an SPKI PEM; TypeError otherwise. */
export function importPublicKey(data: string | Buffer): KeyObject {
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const text = buffer.toString('latin1');
  // createPublicKey would happily derive a public key from a private PEM; a private key here is a mistake.
  if (text.includes('PRIVATE KEY-----')) {
    throw new TypeError('public key file holds a private key; give the 2C2P certificate or its SPKI public key');
  }
  let key: KeyObject;
  try {
    if (text.includes('-----BEGIN CERTIFICATE-----') || !text.includes('-----BEGIN')) {
      key = new X509Certificate(buffer).publicKey;
    } else {
      key = createPublicKey({ key: text, format: 'pem' });
    }
  } catch {
    throw new TypeError('public key must be an X.509 certificate (PEM or DER) or an SPKI PEM ("BEGIN PUBLIC KEY")');
  }
  assertRsa(key, 'public key');
  return key;
}

/** Reads and imports the configured keys; errors name the variable or file, never the content. */
export function loadGatewayKeys(paths: {
  merchantPrivateKeyPath: string;
  gatewayPublicKeyPath: string;
  secretKey: string;
}): GatewayKeys {
  const merchantPrivateKey = importPrivateKey(readKeyFile(paths.merchantPrivateKeyPath, 'TWOC2P_MERCHANT_PRIVATE_KEY'));
  const gatewayPublicKey = importPublicKey(readKeyFile(paths.gatewayPublicKeyPath, 'TWOC2P_GATEWAY_PUBLIC_KEY'));
  if (!paths.secretKey) throw new TypeError('TWOC2P_SECRET_KEY is empty');
  return {
    merchantPrivateKey,
    merchantPublicKey: createPublicKey(merchantPrivateKey),
    gatewayPublicKey,
    secretKey: new TextEncoder().encode(paths.secretKey),
  };
}

/** A fresh RSA key pair as PKCS#8 and SPKI PEM (for `recur keys generate`, the sandbox and tests). */
export function generateKeyPair(bits: 2048 | 4096 = 2048): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function readKeyFile(path: string, variable: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new TypeError(`${variable}: cannot read ${path} (${code})`, { cause: error });
  }
}

function assertRsa(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'rsa')
    throw new TypeError(`${what} must be an RSA key, got ${key.asymmetricKeyType ?? 'unknown'}`);
}
