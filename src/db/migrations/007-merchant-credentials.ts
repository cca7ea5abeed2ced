// Migration 7: each merchant's 2C2P credentials, the secret parts sealed with AES-256-GCM under the master key.
import type { Migration } from './migration.js';

// The sealed columns hold `0x01 ‖ IV ‖ tag ‖ ciphertext` (src/credentials/credential-cipher.ts); kek_id names
// the master key that sealed them, so the KEK can be rotated row by row. The 2C2P public key is not secret.
const sql = `
CREATE TABLE merchant_credentials (
  merchant_id text PRIMARY KEY REFERENCES merchants (id),
  gateway_merchant_id text NOT NULL UNIQUE CHECK (gateway_merchant_id ~ '^[A-Za-z0-9_-]{1,64}$'),
  private_key_sealed bytea NOT NULL CHECK (octet_length(private_key_sealed) > 29),
  gateway_public_key_pem text NOT NULL CHECK (gateway_public_key_pem <> ''),
  secret_code_sealed bytea NOT NULL CHECK (octet_length(secret_code_sealed) > 29),
  kek_id text NOT NULL CHECK (kek_id ~ '^kek_[0-9a-f]{16}$'),
  private_key_fingerprint text NOT NULL,
  gateway_key_fingerprint text NOT NULL,
  key_version integer NOT NULL DEFAULT 1 CHECK (key_version >= 1),
  rotated_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
`;

/** merchant_credentials: one row per merchant, secrets sealed. */
export const merchantCredentialsMigration: Migration = { version: 7, name: 'merchant-credentials', sql };
