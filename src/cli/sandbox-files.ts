// The sandbox's files in its keys directory: key pairs and the merchant secret, created once and reused.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateKeyPair } from '../gateway/keys.js';

/** A PEM key pair on disk. */
export interface KeyPairFiles {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
}

/** Reads `<name>-private.pem` and `<name>-public.pem` from `dir`, generating both when absent. */
export function loadOrCreateKeyPair(dir: string, name: string): KeyPairFiles {
  const privateKeyPath = resolve(join(dir, `${name}-private.pem`));
  const publicKeyPath = resolve(join(dir, `${name}-public.pem`));
  if (existsSync(privateKeyPath) && existsSync(publicKeyPath)) {
    return {
      privateKeyPem: readFileSync(privateKeyPath, 'utf8'),
      publicKeyPem: readFileSync(publicKeyPath, 'utf8'),
      privateKeyPath,
      publicKeyPath,
    };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKeyPem, publicKeyPem } = generateKeyPair();
  writeFileSync(privateKeyPath, privateKeyPem, { mode: 0o600 });
  writeFileSync(publicKeyPath, publicKeyPem, { mode: 0o644 });
  return { privateKeyPem, publicKeyPem, privateKeyPath, publicKeyPath };
}

/** Reads the merchant secret (HS256 key) from `dir`, generating a random one when absent. */
export function loadOrCreateSecret(dir: string): { secret: string; path: string } {
  const path = resolve(join(dir, 'merchant-secret'));
  if (existsSync(path)) return { secret: readFileSync(path, 'utf8').trim(), path };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex').toUpperCase();
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return { secret, path };
}
