// The parts of a compact JWS/JWE (RFC 7515/7516 §7.1) and the key checks jose made, for the node:crypto envelopes.
import type { KeyObject } from 'node:crypto';
import { GatewayProtocolError } from '../errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const checkedKeys = new WeakMap<KeyObject, string>();

/** base64url without padding, as every compact part is written. */
export function encodePart(data: Uint8Array | string): string {
  return (
    typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  ).toString('base64url');
}

/** Decodes one base64url part; a length no encoder writes (4n + 1) is refused, as jose's decoder refuses it. */
export function decodePart(part: string, what: string): Buffer {
  if (part.length % 4 === 1) throw new GatewayProtocolError({ reason: `${what} is not base64url` });
  return Buffer.from(part, 'base64url');
}

/**
 * Parses a protected header: strict UTF-8, a plain JSON object, no `crit` (we implement no extension, and a
 * critical one we do not understand must be refused).
 */
export function parseProtectedHeader(part: string, what: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(strictUtf8.decode(decodePart(part, what)));
  } catch {
    throw new GatewayProtocolError({ reason: `${what} is not a JSON object` });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new GatewayProtocolError({ reason: `${what} is not a JSON object` });
  if ('crit' in header) throw new GatewayProtocolError({ reason: `${what} names critical extensions` });
  return header as Record<string, unknown>;
}

/** The key must be RSA of the given type and at least 2048 bits (RFC 7518 §3.5, §4.3); TypeError otherwise. */
export function assertRsaKey(key: KeyObject, type: 'public' | 'private', alg: string): void {
  if (checkedKeys.get(key) === type) return;
  if (typeof key !== 'object' || key === null || key.type !== type || key.asymmetricKeyType !== 'rsa')
    throw new TypeError(`${alg} needs an RSA ${type} KeyObject`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new TypeError(`${alg} requires key modulusLength to be 2048 bits or larger`);
  checkedKeys.set(key, type);
}
