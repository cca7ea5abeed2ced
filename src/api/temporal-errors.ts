// Turns what the Temporal client throws into the problem the caller should see.
import {
  ApplicationFailure,
  isGrpcServiceError,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { WorkflowFailureType } from '../workflows/definitions.js';
import { ProblemError } from './problem.js';

/** gRPC status codes that mean "the server could not be reached or did not answer in time". */
const UNREACHABLE_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */, 1 /* CANCELLED */]);

/** The 2C2P answer a GatewayRefused failure carries in its details. */
interface RefusalDetails {
  respCode?: string;
  respDesc?: string;
}

/** The problem for a failed update: the workflow's own failure type decides 409, 422 or 502. */
function fromUpdateFailure(failure: Error | undefined): ProblemError {
  if (!(failure instanceof ApplicationFailure)) {
    return new ProblemError({
      kind: 'state-conflict',
      detail: 'the subscription ended before the request completed',
      cause: failure,
    });
  }
  const detail = failure.message;
  switch (failure.type) {
    case WorkflowFailureType.invalidState:
      return new ProblemError({ kind: 'state-conflict', detail, cause: failure });
    case WorkflowFailureType.gatewayRefused: {
      const refusal = (failure.details?.[0] ?? {}) as RefusalDetails;
      const extensions = refusal.respCode
        ? { gatewayCode: refusal.respCode, gatewayReason: refusal.respDesc ?? '' }
        : {};
      return new ProblemError({ kind: 'gateway-refused', detail, extensions, cause: failure });
    }
    case WorkflowFailureType.checkoutFailed:
      return new ProblemError({
        kind: 'gateway-error',
        detail: `the payment page could not be created: ${detail}`,
        cause: failure,
      });
    default: {
      // InvalidRequest, and update validators that reject the request with a plain Error and its reason;
      // the workflow's refusals name the API field they are about (update-guard.ts `refuse`).
      const field = (failure.details?.[0] as { field?: unknown } | undefined)?.field;
      const errors = typeof field === 'string' ? [{ field, reason: detail }] : undefined;
      return new ProblemError({ kind: 'unprocessable-request', detail, errors, cause: failure });
    }
  }
}

/** Whether an error says Temporal itself could not be reached. */
export function isTemporalUnreachable(error: unknown): boolean {
  const grpc = error instanceof ServiceError ? error.cause : error;
  return isGrpcServiceError(grpc) && UNREACHABLE_CODES.has(grpc.code);
}

/** The problem for an error thrown by the Temporal client, or undefined when it is not one. */
export function problemFromTemporal(error: unknown): ProblemError | undefined {
  if (error instanceof WorkflowUpdateFailedError) return fromUpdateFailure(error.cause);
  if (error instanceof WorkflowNotFoundError)
    return new ProblemError({ kind: 'not-found', detail: 'no such subscription', cause: error });
  if (error instanceof WorkflowExecutionAlreadyStartedError) {
    return new ProblemError({
      kind: 'already-exists',
      detail: 'a subscription with this id already exists and has ended',
      cause: error,
    });
  }
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isTemporalUnreachable(error)) {
    return new ProblemError({
      kind: 'unavailable',
      detail: 'Temporal did not answer in time; retry with the same Idempotency-Key',
      cause: error,
    });
  }
  if (error instanceof ServiceError) {
    return new ProblemError({ kind: 'internal', detail: 'Temporal rejected the request', cause: error });
  }
  return undefined;
}
