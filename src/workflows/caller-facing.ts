// A gateway call made while a caller waits on an update: 2C2P's refusal (or a call that keeps failing)
// becomes a GatewayRefused failure with 2C2P's reason, and the state is left as it was.
import { ApplicationFailure } from '@temporalio/workflow';
import { failureDetailOf } from './attention.js';
import { WorkflowFailureType } from './definitions.js';

/** Runs `call`; any activity failure is answered to the caller as GatewayRefused. */
export async function callerFacing<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const { type, message, respCode, respDesc } = failureDetailOf(error);
    throw ApplicationFailure.create({
      type: WorkflowFailureType.gatewayRefused,
      message: respCode ? `2C2P refused: ${respCode} ${respDesc ?? ''}`.trim() : (message ?? 'gateway call failed'),
      details: [{ respCode, respDesc, type }],
      nonRetryable: true,
    });
  }
}
