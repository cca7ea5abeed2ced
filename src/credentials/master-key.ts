// The key-encryption key (KEK) that seals merchant credentials: RECUR_MASTER_KEY (base64 of 32 bytes) or the
// file RECUR_MASTER_KEY_FILE names. Its id, stored beside every sealed row, tells which KEK sealed it.
import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';

/** The variable holding the base64 KEK, and its `_FILE` twin. */
export const MASTER_KEY_VARIABLE = 'RECUR_MASTER_KEY';
export const MASTER_KEY_FILE_VARIABLE = 'RECUR_MASTER_KEY_FILE';

/** A 256-bit KEK and its id. */
export interface MasterKey {
  /** `kek_` + 16 hex digits of SHA-256 over a label and the key: names the key without revealing it. */
  readonly id: string;
  readonly key: KeyObject;
}

/** Imports 32 raw bytes as a master key; RangeError for any other length. */
export function masterKeyFromBytes(bytes: Uint8Array): MasterKey {
  if (bytes.length !== 32) throw new RangeError(`the master key must be 32 bytes, got ${bytes.length}`);
  const id = `kek_${createHash('sha256').update('recur/master-key-id/v1').update(bytes).digest('hex').slice(0, 16)}`;
  return { id, key: createSecretKey(Buffer.from(bytes)) };
}

/** Decodes standard or URL-safe base64 text of 32 bytes; RangeError (never echoing the text) otherwise. */
export function masterKeyFromBase64(text: string): MasterKey {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed))
    throw new RangeError('the master key must be base64 of 32 bytes (e.g. `openssl rand -base64 32`)');
  return masterKeyFromBytes(Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

/**
 * The master key from RECUR_MASTER_KEY or RECUR_MASTER_KEY_FILE, or undefined when neither is set (a deployment
 * that serves only the TWOC2P_* merchant needs none). Throws ConfigError naming the variable, never the key.
 */
export function masterKeyFrom(env: NodeJS.ProcessEnv): MasterKey | undefined {
  const direct = env[MASTER_KEY_VARIABLE]?.trim() || undefined;
  const file = env[MASTER_KEY_FILE_VARIABLE]?.trim() || undefined;
  if (direct && file)
    throw new ConfigError([
      `${MASTER_KEY_FILE_VARIABLE}: set either ${MASTER_KEY_VARIABLE} or ${MASTER_KEY_FILE_VARIABLE}, not both`,
    ]);
  if (direct) {
    try {
      return masterKeyFromBase64(direct);
    } catch (error) {
      throw new ConfigError([`${MASTER_KEY_VARIABLE}: ${(error as Error).message}`]);
    }
  }
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `${MASTER_KEY_FILE_VARIABLE}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
  try {
    return masterKeyFromBase64(text);
  } catch (error) {
    throw new ConfigError([`${MASTER_KEY_FILE_VARIABLE}: ${file}: ${(error as Error).message}`]);
  }
}
