// One HTTP exchange with 2C2P: POST, timeout, transport errors mapped to typed errors, and one
// observer report per exchange (decoded request and response; never keys, secrets or raw tokens).
import {
  GatewayError,
  GatewayOutcomeUnknownError,
  GatewayProtocolError,
  GatewayTimeoutError,
  GatewayUnavailableError,
} from './errors.js';
import type { GatewayOperation } from './types.js';

/** What the client reports for every exchange, success or failure. */
export interface GatewayExchange {
  operation: GatewayOperation;
  url: string;
  startedAt: string;
  durationMs: number;
  httpStatus?: number;
  request: unknown;
  response?: unknown;
  error?: { code: string; message: string };
}

export interface TransportOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  observer?: (exchange: GatewayExchange) => void;
  now: () => Date;
}

export interface ExchangeSpec<T> {
  operation: GatewayOperation;
  url: string;
  contentType: 'text/plain' | 'application/json';
  body: string;
  /** The decoded request, for the audit. */
  request: unknown;
  /** Whether a lost answer leaves the outcome unknown (a state change without idempotency key). */
  outcomeUnknownOnLoss: boolean;
  /** Opens and decodes the answer body (throws typed errors). */
  decode(body: string, httpStatus: number): Promise<{ value: T; decoded: unknown }>;
  /** Throws GatewayDeclinedError when the decoded answer's respCode is not success. */
  accept?(value: T): void;
}

/** Performs one exchange. */
export async function exchange<T>(options: TransportOptions, spec: ExchangeSpec<T>): Promise<T> {
  const started = options.now();
  const startedMs = performance.now();
  let httpStatus: number | undefined;
  let decoded: unknown;
  const report = (error?: GatewayError) =>
    options.observer?.({
      operation: spec.operation,
      url: spec.url,
      startedAt: started.toISOString(),
      durationMs: Math.round(performance.now() - startedMs),
      httpStatus,
      request: spec.request,
      response: decoded,
      error: error && { code: error.code, message: error.message },
    });
  try {
    let response: Response;
    try {
      response = await options.fetch(spec.url, {
        method: 'POST',
        headers: { 'content-type': spec.contentType, accept: 'text/plain, application/json' },
        body: spec.body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw transportError(spec, options.timeoutMs, error);
    }
    httpStatus = response.status;
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw transportError(spec, options.timeoutMs, error);
    }
    if (response.status >= 500) {
      throw spec.outcomeUnknownOnLoss
        ? new GatewayOutcomeUnknownError({ operation: spec.operation })
        : new GatewayUnavailableError({ operation: spec.operation, httpStatus: response.status });
    }
    const result = await withOperation(spec, response.status, () => spec.decode(text, response.status));
    decoded = result.decoded;
    spec.accept?.(result.value);
    report();
    return result.value;
  } catch (error) {
    const typed =
      error instanceof GatewayError
        ? error
        : new GatewayProtocolError({ operation: spec.operation, reason: 'unexpected failure', cause: error });
    report(typed);
    throw typed;
  }
}

function transportError(spec: ExchangeSpec<unknown>, timeoutMs: number, error: unknown): GatewayError {
  const name = (error as { name?: string })?.name;
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  // A request that may have reached 2C2P and changed something cannot simply be sent again.
  if (spec.outcomeUnknownOnLoss) return new GatewayOutcomeUnknownError({ operation: spec.operation, cause: error });
  if (timedOut) return new GatewayTimeoutError({ operation: spec.operation, timeoutMs, cause: error });
  return new GatewayUnavailableError({ operation: spec.operation, cause: error });
}

async function withOperation<T>(spec: ExchangeSpec<unknown>, httpStatus: number, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    // An answer nobody can read says nothing of what 2C2P did: the same as an answer lost on the way.
    if (error instanceof GatewayProtocolError && error.unreadable) {
      if (spec.outcomeUnknownOnLoss) throw new GatewayOutcomeUnknownError({ operation: spec.operation, cause: error });
      throw new GatewayUnavailableError({
        operation: spec.operation,
        httpStatus: httpStatus === 200 ? undefined : httpStatus,
        cause: error,
      });
    }
    if (error instanceof GatewayProtocolError && !error.operation) {
      throw new GatewayProtocolError({
        operation: spec.operation,
        reason: error.reason,
        httpStatus: httpStatus === 200 ? undefined : httpStatus,
        cause: error.cause,
      });
    }
    throw error;
  }
}
