// Merchant 2C2P credentials as stored: the secret fields sealed (opened only by src/credentials), the rest plain.
import type { Queryable } from './pool.js';
import { assertText, toIso, toIsoOrNull } from './row-values.js';

/** A merchant_credentials row; the two sealed fields are opaque bytes here. */
export interface SealedCredentialsRow {
  merchantId: string;
  gatewayMerchantId: string;
  privateKeySealed: Buffer;
  gatewayPublicKeyPem: string;
  secretCodeSealed: Buffer;
  kekId: string;
  privateKeyFingerprint: string;
  gatewayKeyFingerprint: string;
  keyVersion: number;
  rotatedAt: string | null;
  createdAt: string;
}

/** What onboarding writes (version, times and the merchant row are the database's). */
export type NewSealedCredentials = Omit<SealedCredentialsRow, 'keyVersion' | 'rotatedAt' | 'createdAt'>;

/** What a rotation replaces: always the private key, optionally the 2C2P key and the secret, and the KEK id. */
export type SealedRotation = Pick<
  SealedCredentialsRow,
  'merchantId' | 'privateKeySealed' | 'privateKeyFingerprint' | 'kekId'
> &
  Partial<Pick<SealedCredentialsRow, 'gatewayPublicKeyPem' | 'gatewayKeyFingerprint' | 'secretCodeSealed'>>;

/** A merchant as an operator lists it: no sealed field, no key material. */
export interface MerchantListing {
  id: string;
  name: string;
  createdAt: string;
  credentials: {
    gatewayMerchantId: string;
    privateKeyFingerprint: string;
    gatewayKeyFingerprint: string;
    keyVersion: number;
    kekId: string;
    createdAt: string;
    rotatedAt: string | null;
  } | null;
}

const COLUMNS = `merchant_id, gateway_merchant_id, private_key_sealed, gateway_public_key_pem, secret_code_sealed,
  kek_id, private_key_fingerprint, gateway_key_fingerprint, key_version, rotated_at, created_at`;

/** Inserts a merchant's first credentials; the merchant row must exist (foreign key). */
export async function insertSealedCredentials(db: Queryable, row: NewSealedCredentials): Promise<SealedCredentialsRow> {
  assertText(row.merchantId, 'merchantId');
  const { rows } = await db.query(
    `INSERT INTO merchant_credentials (merchant_id, gateway_merchant_id, private_key_sealed, gateway_public_key_pem,
       secret_code_sealed, kek_id, private_key_fingerprint, gateway_key_fingerprint)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [
      row.merchantId,
      row.gatewayMerchantId,
      row.privateKeySealed,
      row.gatewayPublicKeyPem,
      row.secretCodeSealed,
      row.kekId,
      row.privateKeyFingerprint,
      row.gatewayKeyFingerprint,
    ],
  );
  return toRow(rows[0] as Record<string, unknown>);
}

/** Replaces the rotated fields, bumps key_version and stamps rotated_at; undefined when the merchant has no row. */
export async function rotateSealedCredentials(
  db: Queryable,
  rotation: SealedRotation,
): Promise<SealedCredentialsRow | undefined> {
  const { rows } = await db.query(
    `UPDATE merchant_credentials SET
       private_key_sealed = $2, private_key_fingerprint = $3, kek_id = $4,
       gateway_public_key_pem = COALESCE($5, gateway_public_key_pem),
       gateway_key_fingerprint = COALESCE($6, gateway_key_fingerprint),
       secret_code_sealed = COALESCE($7, secret_code_sealed),
       key_version = key_version + 1, rotated_at = now()
     WHERE merchant_id = $1 RETURNING ${COLUMNS}`,
    [
      rotation.merchantId,
      rotation.privateKeySealed,
      rotation.privateKeyFingerprint,
      rotation.kekId,
      rotation.gatewayPublicKeyPem ?? null,
      rotation.gatewayKeyFingerprint ?? null,
      rotation.secretCodeSealed ?? null,
    ],
  );
  return rows[0] ? toRow(rows[0]) : undefined;
}

/** A merchant's sealed credentials by Recur's merchant id. */
export async function getSealedCredentials(
  db: Queryable,
  merchantId: string,
): Promise<SealedCredentialsRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM merchant_credentials WHERE merchant_id = $1`, [merchantId]);
  return rows[0] ? toRow(rows[0]) : undefined;
}

/** A merchant's sealed credentials by the merchant id 2C2P knows (a notification's merchantID). */
export async function getSealedCredentialsByGatewayId(
  db: Queryable,
  gatewayMerchantId: string,
): Promise<SealedCredentialsRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM merchant_credentials WHERE gateway_merchant_id = $1`, [
    gatewayMerchantId,
  ]);
  return rows[0] ? toRow(rows[0]) : undefined;
}

/** Every merchant, with its credentials' public facts (or null when it has none), by id. */
export async function listMerchantsWithCredentials(db: Queryable): Promise<MerchantListing[]> {
  const { rows } = await db.query(
    `SELECT m.id, m.name, m.created_at, c.gateway_merchant_id, c.private_key_fingerprint, c.gateway_key_fingerprint,
       c.key_version, c.kek_id, c.created_at AS credentials_created_at, c.rotated_at
     FROM merchants m LEFT JOIN merchant_credentials c ON c.merchant_id = m.id ORDER BY m.id`,
  );
  return rows.map((r) => ({
    id: r.id as string,
    name: r.name as string,
    createdAt: toIso(r.created_at),
    credentials:
      r.gateway_merchant_id === null
        ? null
        : {
            gatewayMerchantId: r.gateway_merchant_id as string,
            privateKeyFingerprint: r.private_key_fingerprint as string,
            gatewayKeyFingerprint: r.gateway_key_fingerprint as string,
            keyVersion: Number(r.key_version),
            kekId: r.kek_id as string,
            createdAt: toIso(r.credentials_created_at),
            rotatedAt: toIsoOrNull(r.rotated_at),
          },
  }));
}

function toRow(r: Record<string, unknown>): SealedCredentialsRow {
  return {
    merchantId: r.merchant_id as string,
    gatewayMerchantId: r.gateway_merchant_id as string,
    privateKeySealed: r.private_key_sealed as Buffer,
    gatewayPublicKeyPem: r.gateway_public_key_pem as string,
    secretCodeSealed: r.secret_code_sealed as Buffer,
    kekId: r.kek_id as string,
    privateKeyFingerprint: r.private_key_fingerprint as string,
    gatewayKeyFingerprint: r.gateway_key_fingerprint as string,
    keyVersion: Number(r.key_version),
    rotatedAt: toIsoOrNull(r.rotated_at),
    createdAt: toIso(r.created_at),
  };
}
