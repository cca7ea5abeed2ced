// A gateway call made while a caller waits on an update: 2C2P's refusal (or a call that keeps failing)
// becomes a GatewayRefused failure with 2C2P's reason, and the state is left as it was.
import { ApplicationFailure } from '@temporalio/workflow';
import { WorkflowFailureType } from './definitions.js';

/** Runs `call`; any activity failure is answered to the caller as GatewayRefused. */
export async function callerFacing<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const cause = (error as { cause?: { type?: string; message?: string; details?: unknown[] } }).cause;
    const detail = cause?.details?.[0] as { respCode?: string; respDesc?: string } | undefined;
    throw ApplicationFailure.create({
      type: WorkflowFailureType.gatewayRefused,
      message: detail?.respCode
        ? `2C2P refused: ${detail.respCode} ${detail.respDesc ?? ''}`.trim()
        : (cause?.message ?? 'gateway call failed'),
      details: [{ respCode: detail?.respCode, respDesc: detail?.respDesc, type: cause?.type }],
      nonRetryable: true,
    });
  }
}
