// The sandbox's own "2C2P" key pair, plus a foreign key used to fake wrong signatures.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** Keys the sandbox signs, decrypts and fakes with. */
export interface SandboxKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  /** A key no merchant knows, created on first use (wrongSignature fault). */
  foreignKey(): KeyObject;
}

function generate(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Imports the given PEM pair (or generates RSA-2048); TypeError without echoing key material. */
export function loadSandboxKeys(pems?: { privateKeyPem: string; publicKeyPem: string }): SandboxKeys {
  const source = pems ?? generate();
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  try {
    privateKey = createPrivateKey(source.privateKeyPem);
    publicKey = createPublicKey(source.publicKeyPem);
  } catch {
    throw new TypeError('sandbox keys: expected an RSA private key PEM and its public key PEM');
  }
  if (privateKey.asymmetricKeyType !== 'rsa' || publicKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError('sandbox keys: RSA keys are required');
  }
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  if (!derived.equals(publicKey.export({ type: 'spki', format: 'der' }))) {
    throw new TypeError('sandbox keys: the public key does not belong to the private key');
  }
  let foreign: KeyObject | undefined;
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    foreignKey() {
      foreign ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      return foreign;
    },
  };
}
