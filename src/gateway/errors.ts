// Typed gateway errors: one base class with a stable `code` and a `retryable` flag, one subclass per
// kind of failure. Activities map `code` to a Temporal failure type; messages never carry key material.
import type { ResponseClass } from '../domain/response-codes.js';
import type { GatewayOperation } from './types.js';

export type GatewayErrorCode =
  | 'ERR_GATEWAY_TIMEOUT'
  | 'ERR_GATEWAY_UNAVAILABLE'
  | 'ERR_GATEWAY_PROTOCOL'
  | 'ERR_GATEWAY_DECLINED'
  | 'ERR_GATEWAY_OUTCOME_UNKNOWN';

/** How a respCode should be handled (the classes of the domain's response-code tables). */
export type ResponseClassification = ResponseClass;

/** Base of every gateway failure. */
export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly retryable: boolean;

  constructor(opts: { message: string; code: GatewayErrorCode; retryable: boolean; cause?: unknown }) {
    super(opts.message, { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code;
    this.retryable = opts.retryable;
  }
}

/** No answer within the timeout. Retryable: every call is an inquiry or carries an idempotency key. */
export class GatewayTimeoutError extends GatewayError {
  readonly operation: GatewayOperation;
  constructor(opts: { operation: GatewayOperation; timeoutMs: number; cause?: unknown }) {
    super({
      message: `${opts.operation}: no answer from 2C2P within ${opts.timeoutMs} ms`,
      code: 'ERR_GATEWAY_TIMEOUT',
      retryable: true,
      cause: opts.cause,
    });
    this.operation = opts.operation;
  }
}

/** The connection failed or 2C2P answered HTTP 5xx. Retryable. */
export class GatewayUnavailableError extends GatewayError {
  readonly operation: GatewayOperation;
  readonly httpStatus?: number;
  constructor(opts: { operation: GatewayOperation; httpStatus?: number; cause?: unknown }) {
    const why = opts.httpStatus ? `HTTP ${opts.httpStatus}` : 'connection failed';
    super({
      message: `${opts.operation}: 2C2P unavailable (${why})`,
      code: 'ERR_GATEWAY_UNAVAILABLE',
      retryable: true,
      cause: opts.cause,
    });
    this.operation = opts.operation;
    this.httpStatus = opts.httpStatus;
  }
}

/** Bad signature, wrong algorithm, undecryptable or unparsable answer. Not retryable: it needs a person. */
export class GatewayProtocolError extends GatewayError {
  readonly operation?: GatewayOperation;
  readonly httpStatus?: number;
  readonly reason: string;
  /** The body is not even JSON or JOSE (a proxy's error page, a cut answer): the transport treats it as lost. */
  readonly unreadable: boolean;
  constructor(opts: {
    reason: string;
    operation?: GatewayOperation;
    httpStatus?: number;
    cause?: unknown;
    unreadable?: boolean;
  }) {
    const where = opts.operation ? `${opts.operation}: ` : '';
    const status = opts.httpStatus ? ` (HTTP ${opts.httpStatus})` : '';
    super({
      message: `${where}${opts.reason}${status}`,
      code: 'ERR_GATEWAY_PROTOCOL',
      retryable: false,
      cause: opts.cause,
    });
    this.operation = opts.operation;
    this.httpStatus = opts.httpStatus;
    this.reason = opts.reason;
    this.unreadable = opts.unreadable ?? false;
  }
}

/** A well-formed answer whose respCode is not success. Retryable only when its code is `retryable`. */
export class GatewayDeclinedError extends GatewayError {
  readonly operation: GatewayOperation;
  readonly respCode: string;
  readonly respDesc: string;
  readonly classification: ResponseClassification;
  constructor(opts: {
    operation: GatewayOperation;
    respCode: string;
    respDesc: string;
    classification: ResponseClassification;
  }) {
    super({
      message: `${opts.operation}: 2C2P answered ${opts.respCode} ${opts.respDesc} (${opts.classification})`,
      code: 'ERR_GATEWAY_DECLINED',
      retryable: opts.classification === 'retryable',
    });
    this.operation = opts.operation;
    this.respCode = opts.respCode;
    this.respDesc = opts.respDesc;
    this.classification = opts.classification;
  }
}

/** The request may have been applied but no answer proves it: reconcile by inquiry, never resend blindly. */
export class GatewayOutcomeUnknownError extends GatewayError {
  readonly operation: GatewayOperation;
  constructor(opts: { operation: GatewayOperation; cause?: unknown }) {
    super({
      message: `${opts.operation}: outcome unknown; reconcile by inquiry before retrying`,
      code: 'ERR_GATEWAY_OUTCOME_UNKNOWN',
      retryable: false,
      cause: opts.cause,
    });
    this.operation = opts.operation;
  }
}
