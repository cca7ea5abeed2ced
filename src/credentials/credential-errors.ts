// Typed errors of merchant onboarding and credential look-ups: one class, a stable code per failure.

/** Stable codes of MerchantCredentialsError. */
export type MerchantCredentialsErrorCode =
  | 'ERR_CREDENTIALS_INVALID'
  | 'ERR_MERCHANT_EXISTS'
  | 'ERR_MERCHANT_NOT_FOUND'
  | 'ERR_GATEWAY_MERCHANT_TAKEN'
  | 'ERR_MASTER_KEY_MISSING'
  | 'ERR_MASTER_KEY_MISMATCH';

/** A merchant's credentials could not be stored or opened; `field` names the bad input when there is one. */
export class MerchantCredentialsError extends Error {
  readonly code: MerchantCredentialsErrorCode;
  readonly field: string | undefined;
  constructor(opts: { code: MerchantCredentialsErrorCode; message: string; field?: string; cause?: unknown }) {
    super(opts.message, { cause: opts.cause });
    this.name = 'MerchantCredentialsError';
    this.code = opts.code;
    this.field = opts.field;
  }
}

/**
 * A gateway client was asked for a merchant with no credentials, neither stored nor from TWOC2P_*. A TypeError,
 * so the activity boundary makes it non-retryable: retrying cannot conjure credentials.
 */
export class MissingCredentialsError extends TypeError {
  readonly code = 'ERR_MERCHANT_CREDENTIALS_MISSING';
  constructor(merchantId: string) {
    super(`no 2C2P credentials for merchant ${merchantId}`);
    this.name = 'MissingCredentialsError';
  }
}
