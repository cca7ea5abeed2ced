// Typed errors the sandbox raises to in-process callers (approvePayment, control API, clock misuse).

/** Stable codes for sandbox failures; `respCode` carries the 2C2P code when one applies. */
export type SandboxErrorCode =
  | 'ERR_SANDBOX_NOT_FOUND'
  | 'ERR_SANDBOX_TOKEN_USED'
  | 'ERR_SANDBOX_TOKEN_EXPIRED'
  | 'ERR_SANDBOX_INVALID_CUSTOMER_TOKEN'
  | 'ERR_SANDBOX_NOT_LISTENING'
  /** The state file (SandboxOptions.stateFile) is damaged, of another format version, or cannot be used. */
  | 'ERR_SANDBOX_STATE_FILE';

/** A failure of a sandbox control operation, with a stable `code` and the 2C2P `respCode` if any. */
export class SandboxError extends Error {
  readonly code: SandboxErrorCode;
  readonly respCode: string | undefined;
  /** HTTP status the control API answers with. */
  readonly httpStatus: number;

  constructor(opts: { message: string; code: SandboxErrorCode; respCode?: string; httpStatus?: number }) {
    super(opts.message);
    this.name = 'SandboxError';
    this.code = opts.code;
    this.respCode = opts.respCode;
    this.httpStatus = opts.httpStatus ?? (opts.code === 'ERR_SANDBOX_NOT_FOUND' ? 404 : 409);
  }
}
