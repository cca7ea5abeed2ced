// JWE RSA-OAEP (SHA-1, as JOSE defines it) + A256GCM compact encryption: the inner layer of PaymentAction,
// on node:crypto.
import { createCipheriv, createDecipheriv, randomBytes, randomFillSync, type KeyObject } from 'node:crypto';
import { GatewayProtocolError } from '../errors.js';
import { assertRsaKey, decodePart, encodePart, parseProtectedHeader } from './compact-serialization.js';
import { assertParts, joseStep } from './jose-errors.js';
import { contentKeyFor, decryptRsaOaep } from './rsa-operations.js';

// JSON.stringify({ alg: 'RSA-OAEP', enc: 'A256GCM' }), encoded once: the header and the AAD of every token.
const HEADER = encodePart('{"alg":"RSA-OAEP","enc":"A256GCM"}');
const AAD = Buffer.from(HEADER, 'latin1');
const utf8 = new TextDecoder();
// IVs drawn from one buffer of CSPRNG output refilled every 256 tokens: one call instead of one per token.
const ivs = Buffer.alloc(12 * 256);
let nextIv = ivs.length;

/** Encrypts to `publicKey` with header {"alg":"RSA-OAEP","enc":"A256GCM"}, as in every 2C2P sample. */
export async function encryptJwe(plaintext: string, publicKey: KeyObject): Promise<string> {
  return joseStep('JWE encryption', async () => {
    assertRsaKey(publicKey, 'public', 'RSA-OAEP');
    const { cek, encryptedKey } = contentKeyFor(publicKey);
    const iv = takeIv();
    const cipher = createCipheriv('aes-256-gcm', cek, iv, { authTagLength: 16 });
    cipher.setAAD(AAD);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${HEADER}.${encodePart(encryptedKey)}.${encodePart(iv)}.${encodePart(ciphertext)}.${encodePart(cipher.getAuthTag())}`;
  });
}

/** Decrypts a compact JWE; refuses any other alg/enc, and compression. */
export async function decryptJwe(token: string, privateKey: KeyObject): Promise<string> {
  assertParts(token, 5, 'JWE');
  return joseStep('JWE decryption', async () => {
    assertRsaKey(privateKey, 'private', 'RSA-OAEP');
    const [headerPart = '', keyPart = '', ivPart = '', ciphertextPart = '', tagPart = ''] = token.split('.');
    const header = parseProtectedHeader(headerPart, 'JWE header');
    if (header.alg !== 'RSA-OAEP' || header.enc !== 'A256GCM')
      throw new GatewayProtocolError({ reason: 'JWE alg/enc is not RSA-OAEP/A256GCM' });
    if (header.zip !== undefined) throw new GatewayProtocolError({ reason: 'JWE compression is not supported' });
    const iv = decodePart(ivPart, 'JWE iv');
    const tag = decodePart(tagPart, 'JWE tag');
    const ciphertext = decodePart(ciphertextPart, 'JWE ciphertext');
    if (iv.length !== 12 || tag.length !== 16) throw new Error('bad iv or tag length');
    const cek = await unwrapKey(decodePart(keyPart, 'JWE encrypted key'), privateKey);
    const decipher = createDecipheriv('aes-256-gcm', cek, iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(headerPart, 'latin1'));
    decipher.setAuthTag(tag);
    return utf8.decode(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  });
}

function takeIv(): Buffer {
  if (nextIv === ivs.length) {
    randomFillSync(ivs);
    nextIv = 0;
  }
  nextIv += 12;
  return ivs.subarray(nextIv - 12, nextIv);
}

async function unwrapKey(encryptedKey: Buffer, privateKey: KeyObject): Promise<Buffer> {
  // As jose does (RFC 7516 §11.5): a key that does not unwrap to 32 bytes is replaced by a random one, so the
  // token fails at the GCM tag like any other forgery and the padding check is no oracle.
  try {
    const cek = await decryptRsaOaep(encryptedKey, privateKey);
    return cek.length === 32 ? cek : randomBytes(32);
  } catch {
    return randomBytes(32);
  }
}
