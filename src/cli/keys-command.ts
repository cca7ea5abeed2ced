// `recur keys generate DIR`: writes a merchant RSA key pair (private key readable by the owner only).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateKeyPair } from '../gateway/keys.js';
import type { CommandIo } from './gateway-command.js';
import { UsageError } from './usage-error.js';

/** Paths of a written merchant key pair. */
export interface MerchantKeyFiles {
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
}

/** Generates a merchant key pair into `dir`; refuses to overwrite an existing key. */
export function writeMerchantKeys(dir: string): MerchantKeyFiles {
  const privateKeyPath = resolve(join(dir, 'merchant-private.pem'));
  const publicKeyPath = resolve(join(dir, 'merchant-public.pem'));
  for (const path of [privateKeyPath, publicKeyPath]) {
    if (existsSync(path)) throw new UsageError(`${path} already exists; remove it first or choose another directory`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKeyPem, publicKeyPem } = generateKeyPair();
  // 'wx' fails rather than replace a key another process wrote in the meantime.
  writeFileSync(privateKeyPath, privateKeyPem, { mode: 0o600, flag: 'wx' });
  writeFileSync(publicKeyPath, publicKeyPem, { mode: 0o644, flag: 'wx' });
  return { privateKeyPath, publicKeyPath };
}

/** Runs `recur keys …`. */
export async function keysCommand(argv: string[], io: CommandIo): Promise<void> {
  const [sub, dir, ...rest] = argv;
  if (sub !== 'generate' || !dir || dir.startsWith('-') || rest.length > 0) {
    throw new UsageError('usage: recur keys generate DIR');
  }
  const files = writeMerchantKeys(dir);
  io.out(
    [
      `merchant private key: ${files.privateKeyPath} (mode 0600; keep it out of version control)`,
      `merchant public key:  ${files.publicKeyPath} (upload it to 2C2P: Account > Options > Merchant Public Keys)`,
      `export TWOC2P_MERCHANT_PRIVATE_KEY=${files.privateKeyPath}`,
    ].join('\n'),
  );
}
