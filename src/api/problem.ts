// RFC 9457 problem documents: the one error type the API's handlers throw and its error handler answers.

/** One field the caller got wrong, named by its JSON path (`plan.amount`). */
export interface FieldError {
  field: string;
  reason: string;
}

/** Stable problem kinds; `type` is `/problems/<kind>`, resolved against the API's own URL. */
export const PROBLEM_KINDS = {
  'malformed-request': { status: 400, title: 'The request is malformed' },
  'invalid-request': { status: 400, title: 'The request does not match the schema' },
  'unprocessable-request': { status: 422, title: 'A field has a value that cannot be accepted' },
  unauthorized: { status: 401, title: 'A valid API key is required' },
  forbidden: { status: 403, title: 'This API key may not use this route' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'The route does not answer this method' },
  'state-conflict': { status: 409, title: 'The subscription is not in a state that allows this' },
  'already-exists': { status: 409, title: 'The subscription already exists' },
  'merchant-conflict': { status: 409, title: 'The merchant or its 2C2P merchant id is already onboarded' },
  'idempotency-key-reused': { status: 422, title: 'The Idempotency-Key was used with another request' },
  'idempotency-key-in-use': { status: 409, title: 'A request with this Idempotency-Key is still running' },
  'gateway-refused': { status: 422, title: '2C2P refused the request' },
  'gateway-error': { status: 502, title: '2C2P could not be reached or answered badly' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'uri-too-long': { status: 414, title: 'A part of the request path is too long' },
  'unsupported-media-type': { status: 415, title: 'The request body has a media type the route does not take' },
  unavailable: { status: 503, title: 'A service the API depends on is unavailable' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ProblemKind = keyof typeof PROBLEM_KINDS;

/** The JSON body of a problem answer (`application/problem+json`). */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** An error that answers the request with a problem document; `code` is the stable problem kind. */
export class ProblemError extends Error {
  readonly code: ProblemKind;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown>;

  constructor(opts: {
    kind: ProblemKind;
    detail: string;
    errors?: FieldError[];
    extensions?: Record<string, unknown>;
    cause?: unknown;
  }) {
    super(opts.detail, { cause: opts.cause });
    this.name = 'ProblemError';
    this.code = opts.kind;
    this.status = PROBLEM_KINDS[opts.kind].status;
    this.errors = opts.errors;
    this.extensions = opts.extensions ?? {};
  }

  /** The document sent to the caller. */
  toDocument(instance?: string): ProblemDocument {
    const { title } = PROBLEM_KINDS[this.code];
    return {
      type: `/problems/${this.code}`,
      title,
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

/** A 422 naming one field and why its value cannot be accepted. */
export function unprocessable(field: string, reason: string): ProblemError {
  return new ProblemError({
    kind: 'unprocessable-request',
    detail: `${field}: ${reason}`,
    errors: [{ field, reason }],
  });
}

/** A 404 for a subscription the caller's merchant does not have. */
export function subscriptionNotFound(subscriptionId: string): ProblemError {
  return new ProblemError({ kind: 'not-found', detail: `no subscription ${subscriptionId}` });
}

/** The media type of problem documents. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
