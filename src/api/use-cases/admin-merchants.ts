// Onboarding and key rotation for the admin routes: credentials sealed under the master key, errors as problems.
import type pg from 'pg';
import { MerchantCredentialsError } from '../../credentials/credential-errors.js';
import {
  onboardMerchant,
  rotateMerchantKeys,
  type KeyRotation,
  type MerchantOnboarding,
} from '../../credentials/merchant-credentials.js';
import { listMerchantsWithCredentials, type MerchantListing } from '../../db/index.js';
import type { AdminDeps } from '../deps.js';
import { ProblemError, unprocessable } from '../problem.js';

function masterKeyOf(admin: AdminDeps) {
  if (!admin.masterKey)
    throw new ProblemError({
      kind: 'unavailable',
      detail: 'RECUR_MASTER_KEY (or RECUR_MASTER_KEY_FILE) is not set, so credentials cannot be sealed',
    });
  return admin.masterKey;
}

/** A store error as the problem the caller gets: 422 naming the field, 404, 409, or 503 for the master key. */
function toProblem(error: unknown): unknown {
  if (!(error instanceof MerchantCredentialsError)) return error;
  switch (error.code) {
    case 'ERR_CREDENTIALS_INVALID': {
      // The store names fields as the admin body does (privateKey, gatewayPublicKey, secret, …).
      const field = error.field ?? 'body';
      return unprocessable(field, error.message.replace(/^[A-Za-z]+: /, ''));
    }
    case 'ERR_MERCHANT_NOT_FOUND':
      return new ProblemError({ kind: 'not-found', detail: error.message });
    case 'ERR_MERCHANT_EXISTS':
    case 'ERR_GATEWAY_MERCHANT_TAKEN':
      return new ProblemError({ kind: 'merchant-conflict', detail: error.message, extensions: { field: error.field } });
    case 'ERR_MASTER_KEY_MISMATCH':
      // Only a rotation that keeps the secret meets it: the secret is sealed under a previous master key.
      return unprocessable('secret', `${error.message}; send the secret too, to seal it under this one`);
    default:
      return new ProblemError({ kind: 'unavailable', detail: error.message, cause: error });
  }
}

/** The merchant as the admin API shows it: never a sealed field, a PEM or a secret. */
export async function merchantListing(pool: pg.Pool, merchantId: string): Promise<MerchantListing> {
  const found = (await listMerchantsWithCredentials(pool)).find((m) => m.id === merchantId);
  if (!found) throw new ProblemError({ kind: 'not-found', detail: `no merchant ${merchantId}` });
  return found;
}

/** Onboards a merchant with its credentials; answers its listing. */
export async function onboard(pool: pg.Pool, admin: AdminDeps, input: MerchantOnboarding): Promise<MerchantListing> {
  try {
    await onboardMerchant(pool, masterKeyOf(admin), input);
  } catch (error) {
    throw toProblem(error);
  }
  return merchantListing(pool, input.merchantId);
}

/** Rotates a merchant's keys, then drops this process's cached credentials; answers its listing. */
export async function rotate(pool: pg.Pool, admin: AdminDeps, input: KeyRotation): Promise<MerchantListing> {
  try {
    await rotateMerchantKeys(pool, masterKeyOf(admin), input);
  } catch (error) {
    throw toProblem(error);
  }
  admin.credentialsChanged?.();
  return merchantListing(pool, input.merchantId);
}
