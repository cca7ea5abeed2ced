// Onboarding, rotation and opening of a merchant's 2C2P credentials: PEMs checked, secrets sealed, fingerprints kept.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type pg from 'pg';
import {
  getSealedCredentials,
  insertSealedCredentials,
  rotateSealedCredentials,
  upsertMerchant,
  withTransaction,
  type SealedCredentialsRow,
} from '../db/index.js';
import { importPrivateKey, importPublicKey, type GatewayKeys } from '../gateway/keys.js';
import { openField, sealField } from './credential-cipher.js';
import { MerchantCredentialsError } from './credential-errors.js';
import type { MasterKey } from './master-key.js';

/** Merchant ids, ours and 2C2P's: what API keys and workflow ids already accept. */
export const MERCHANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A merchant's credentials, opened: what a gateway client needs. */
export interface MerchantCredentials {
  /** Recur's merchant id (API keys, subscriptions, workflow ids). */
  merchantId: string;
  /** The merchant id 2C2P knows (requests' and notifications' merchantID); often the same. */
  gatewayMerchantId: string;
  keys: GatewayKeys;
  /** 1 at onboarding, +1 per rotation; 0 for the TWOC2P_* merchant. */
  keyVersion: number;
}

/** Everything onboarding takes; PEMs and the secret as text, checked before anything is stored. */
export interface MerchantOnboarding {
  merchantId: string;
  name: string;
  gatewayMerchantId: string;
  privateKeyPem: string;
  gatewayPublicKeyPem: string;
  secretCode: string;
}

/** A rotation: a new private key, and a new 2C2P key or secret when those changed too. */
export interface KeyRotation {
  merchantId: string;
  privateKeyPem: string;
  gatewayPublicKeyPem?: string;
  secretCode?: string;
}

const invalid = (field: string, message: string, cause?: unknown) =>
  new MerchantCredentialsError({ code: 'ERR_CREDENTIALS_INVALID', field, message: `${field}: ${message}`, cause });

/** `sha256:` + hex SHA-256 of the key's SPKI DER: tells keys apart without showing them. */
export function keyFingerprint(publicKey: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

function checkId(field: string, value: unknown): string {
  if (typeof value !== 'string' || !MERCHANT_ID_PATTERN.test(value))
    throw invalid(field, 'expected 1 to 64 letters, digits, _ or -');
  return value;
}

function checkSecret(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || /\s/.test(value.trim()))
    throw invalid(field, 'expected the 2C2P secret code, non-empty and without spaces');
  return value.trim();
}

// gateway/keys.ts messages describe the format problem and never echo key material.
function importedKey(field: string, pem: unknown, importKey: (pem: string) => KeyObject): KeyObject {
  if (typeof pem !== 'string') throw invalid(field, 'expected a PEM string');
  try {
    return importKey(pem);
  } catch (error) {
    throw invalid(field, (error as Error).message, error);
  }
}

const privateKey = (field: string, pem: unknown) => importedKey(field, pem, importPrivateKey);
const publicKey = (field: string, pem: unknown) => importedKey(field, pem, importPublicKey);

const encoder = new TextEncoder();

/** Stores a new merchant (or names an existing one without credentials) with its sealed credentials. */
export async function onboardMerchant(
  pool: pg.Pool,
  masterKey: MasterKey,
  input: MerchantOnboarding,
): Promise<SealedCredentialsRow> {
  const merchantId = checkId('id', input.merchantId);
  const gatewayMerchantId = checkId('gatewayMerchantId', input.gatewayMerchantId);
  if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 200)
    throw invalid('name', 'expected 1 to 200 characters');
  const merchantPrivate = privateKey('privateKey', input.privateKeyPem);
  const gatewayPublic = publicKey('gatewayPublicKey', input.gatewayPublicKeyPem);
  const secret = checkSecret('secret', input.secretCode);
  return withTransaction(pool, async (client) => {
    if (await getSealedCredentials(client, merchantId))
      throw new MerchantCredentialsError({
        code: 'ERR_MERCHANT_EXISTS',
        field: 'id',
        message: `merchant ${merchantId} already has credentials; rotate them instead`,
      });
    await upsertMerchant(client, { id: merchantId, name: input.name.trim() });
    try {
      return await insertSealedCredentials(client, {
        merchantId,
        gatewayMerchantId,
        privateKeySealed: sealField(masterKey, { merchantId, field: 'private_key' }, Buffer.from(input.privateKeyPem)),
        gatewayPublicKeyPem: input.gatewayPublicKeyPem,
        secretCodeSealed: sealField(masterKey, { merchantId, field: 'secret_code' }, encoder.encode(secret)),
        kekId: masterKey.id,
        privateKeyFingerprint: keyFingerprint(createPublicKey(merchantPrivate)),
        gatewayKeyFingerprint: keyFingerprint(gatewayPublic),
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505')
        throw new MerchantCredentialsError({
          code: 'ERR_GATEWAY_MERCHANT_TAKEN',
          field: 'gatewayMerchantId',
          message: `gatewayMerchantId: 2C2P merchant ${gatewayMerchantId} already belongs to another merchant`,
          cause: error,
        });
      throw error;
    }
  });
}

/** Replaces a merchant's private key (and, when given, its 2C2P key and secret), re-sealing under `masterKey`. */
export async function rotateMerchantKeys(
  pool: pg.Pool,
  masterKey: MasterKey,
  input: KeyRotation,
): Promise<SealedCredentialsRow> {
  const merchantId = checkId('id', input.merchantId);
  const merchantPrivate = privateKey('privateKey', input.privateKeyPem);
  const gatewayPublic =
    input.gatewayPublicKeyPem === undefined ? undefined : publicKey('gatewayPublicKey', input.gatewayPublicKeyPem);
  const secret = input.secretCode === undefined ? undefined : checkSecret('secret', input.secretCode);
  return withTransaction(pool, async (client) => {
    const current = await getSealedCredentials(client, merchantId);
    if (!current)
      throw new MerchantCredentialsError({
        code: 'ERR_MERCHANT_NOT_FOUND',
        field: 'id',
        message: `merchant ${merchantId} has no stored credentials`,
      });
    // A kept secret stays sealed as it is, so it must be under this master key too: one row, one KEK.
    if (secret === undefined) assertKek(masterKey, current);
    const rotated = await rotateSealedCredentials(client, {
      merchantId,
      kekId: masterKey.id,
      privateKeySealed: sealField(masterKey, { merchantId, field: 'private_key' }, Buffer.from(input.privateKeyPem)),
      privateKeyFingerprint: keyFingerprint(createPublicKey(merchantPrivate)),
      ...(gatewayPublic && {
        gatewayPublicKeyPem: input.gatewayPublicKeyPem,
        gatewayKeyFingerprint: keyFingerprint(gatewayPublic),
      }),
      ...(secret !== undefined && {
        secretCodeSealed: sealField(masterKey, { merchantId, field: 'secret_code' }, encoder.encode(secret)),
      }),
    });
    return rotated!;
  });
}

function assertKek(masterKey: MasterKey, row: SealedCredentialsRow): MasterKey {
  if (row.kekId !== masterKey.id)
    throw new MerchantCredentialsError({
      code: 'ERR_MASTER_KEY_MISMATCH',
      message: `merchant ${row.merchantId}'s credentials are sealed under ${row.kekId}, the master key given is ${masterKey.id}`,
    });
  return masterKey;
}

/** Opens a stored row into usable keys; the master key must be the one that sealed it. */
export function openCredentials(masterKey: MasterKey | undefined, row: SealedCredentialsRow): MerchantCredentials {
  if (!masterKey)
    throw new MerchantCredentialsError({
      code: 'ERR_MASTER_KEY_MISSING',
      message: `merchant ${row.merchantId}'s credentials are stored encrypted; set RECUR_MASTER_KEY or RECUR_MASTER_KEY_FILE`,
    });
  const kek = assertKek(masterKey, row);
  const { merchantId } = row;
  const privatePem = openField(kek, { merchantId, field: 'private_key' }, row.privateKeySealed);
  const secretKey = openField(kek, { merchantId, field: 'secret_code' }, row.secretCodeSealed);
  const merchantPrivateKey = importPrivateKey(privatePem);
  return {
    merchantId,
    gatewayMerchantId: row.gatewayMerchantId,
    keyVersion: row.keyVersion,
    keys: {
      merchantPrivateKey,
      merchantPublicKey: createPublicKey(merchantPrivateKey),
      gatewayPublicKey: importPublicKey(row.gatewayPublicKeyPem),
      secretKey: new Uint8Array(secretKey),
    },
  };
}
