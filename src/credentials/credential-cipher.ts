// AES-256-GCM for merchant credentials at rest: one random IV per field, and additional data that binds each
// ciphertext to its merchant and field, so a ciphertext copied into another row or column fails to open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { MasterKey } from './master-key.js';

/** The first byte of every sealed field: the layout below (a new layout gets a new byte). */
const FORMAT_V1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The credential fields stored encrypted (also part of the additional data). */
export type SealedField = 'private_key' | 'secret_code';

/** Where a sealed field belongs: checked as additional data when it is opened. */
export interface FieldBinding {
  merchantId: string;
  field: SealedField;
}

/** A sealed field could not be opened: wrong key, tampered bytes, or another row's or column's value. */
export class CredentialDecryptionError extends Error {
  readonly code = 'ERR_CREDENTIALS_DECRYPT';
  constructor(binding: FieldBinding, cause?: unknown) {
    // Generic on purpose (as jose's "decryption operation failed"): which check failed helps only an attacker.
    super(`merchant ${binding.merchantId}: ${binding.field} could not be decrypted`, { cause });
    this.name = 'CredentialDecryptionError';
  }
}

function additionalData(binding: FieldBinding): Buffer {
  if (typeof binding.merchantId !== 'string' || binding.merchantId === '')
    throw new TypeError('merchantId must be a non-empty string');
  // JSON of a fixed array is unambiguous: no merchant id can be crafted to look like another binding.
  return Buffer.from(JSON.stringify(['recur/merchant-credentials/v1', binding.merchantId, binding.field]), 'utf8');
}

/**
 * Encrypts `plaintext` for one field of one merchant: `0x01 ‖ IV (12) ‖ tag (16) ‖ ciphertext`.
 * @example
 * const sealed = sealField(masterKey, { merchantId: 'M1', field: 'secret_code' }, Buffer.from(secret));
 */
export function sealField(masterKey: MasterKey, binding: FieldBinding, plaintext: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(binding));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT_V1), iv, cipher.getAuthTag(), ciphertext]);
}

/** Decrypts a field sealed by sealField for the same merchant and field; CredentialDecryptionError otherwise. */
export function openField(masterKey: MasterKey, binding: FieldBinding, sealed: Uint8Array): Buffer {
  const aad = additionalData(binding);
  const bytes = Buffer.from(sealed);
  if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT_V1) throw new CredentialDecryptionError(binding);
  const iv = bytes.subarray(1, 1 + IV_BYTES);
  const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch (error) {
    throw new CredentialDecryptionError(binding, error);
  }
}
