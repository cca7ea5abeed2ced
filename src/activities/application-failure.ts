// The one place a gateway error becomes a Temporal failure: its code is the failure type, its
// retryable flag decides whether Temporal retries, and the 2C2P code travels in the details.
import { ApplicationFailure } from '@temporalio/activity';
import { GatewayDeclinedError, GatewayError } from '../gateway/errors.js';

/** Detail attached to ERR_GATEWAY_DECLINED failures, read by the workflow. */
export interface DeclineDetail {
  respCode: string;
  respDesc: string;
  classification: string;
  operation: string;
}

/** Maps any error thrown by a gateway call to what Temporal should do with it. */
export function toActivityFailure(error: unknown): unknown {
  if (error instanceof GatewayDeclinedError) {
    const detail: DeclineDetail = {
      respCode: error.respCode,
      respDesc: error.respDesc,
      classification: error.classification,
      operation: error.operation,
    };
    return ApplicationFailure.create({
      type: error.code,
      message: error.message,
      nonRetryable: !error.retryable,
      details: [detail],
    });
  }
  if (error instanceof GatewayError) {
    return ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: !error.retryable });
  }
  // Caller misuse (bad amount, bad invoice) cannot succeed on retry.
  if (error instanceof TypeError || error instanceof RangeError) {
    return ApplicationFailure.create({ type: 'InvalidRequest', message: error.message, nonRetryable: true });
  }
  return error;
}
