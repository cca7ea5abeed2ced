// JWE RSA-OAEP (SHA-1, as JOSE defines it) + A256GCM compact encryption: the inner layer of PaymentAction.
import type { KeyObject } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { assertParts, joseStep } from './jose-errors.js';

/** Encrypts to `publicKey` with header {"alg":"RSA-OAEP","enc":"A256GCM"}, as in every 2C2P sample. */
export async function encryptJwe(plaintext: string, publicKey: KeyObject): Promise<string> {
  return joseStep('JWE encryption', () =>
    new CompactEncrypt(new TextEncoder().encode(plaintext))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM' })
      .encrypt(publicKey),
  );
}

/** Decrypts a compact JWE; refuses any other alg/enc. */
export async function decryptJwe(token: string, privateKey: KeyObject): Promise<string> {
  assertParts(token, 5, 'JWE');
  const result = await joseStep('JWE decryption', () =>
    compactDecrypt(token, privateKey, {
      keyManagementAlgorithms: ['RSA-OAEP'],
      contentEncryptionAlgorithms: ['A256GCM'],
    }),
  );
  return new TextDecoder().decode(result.plaintext);
}
