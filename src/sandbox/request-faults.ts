// Applies an armed (or chaos) request fault to one gateway request: hold, 5xx, garbage, a foreign signature or
// a signed "busy" answer.
import type { SandboxContext } from './context.js';
import type { RequestFault } from './faults.js';
import { textResult, type RouteOutcome, type RouteResult } from './http-io.js';
import type { SandboxOperation } from './operations.js';

/** How to produce the real answer; `wrongSignature` asks for one signed with a key the merchant does not know. */
export type Execute = (opts: { wrongSignature: boolean }) => Promise<RouteResult>;

/** What chaos mode needs of a request: a stable key (merchant + invoice, token or plan) and its busy answer. */
export interface ChaosTarget {
  readonly key: string;
  /** A well-formed, correctly signed answer with 2C2P's "unable to complete, try again" code for the operation. */
  busy(): Promise<RouteResult>;
}

function faultOutcome(fault: RequestFault): RouteOutcome {
  switch (fault.kind) {
    case 'timeout':
      return fault.holdMs === undefined ? { hold: true } : { hold: true, holdMs: fault.holdMs };
    case 'http5xx':
      return textResult(fault.status ?? 503, 'Service Unavailable');
    default:
      return { status: 200, contentType: 'text/plain; charset=utf-8', body: '<html><body>\u0000\u00ff garbage</body>' };
  }
}

/**
 * Runs `execute` unless a fault is armed for `operation` (or chaos picks one for `chaos.key`). Faults other
 * than wrongSignature replace the answer; with `applied` the request is processed first, so the caller cannot
 * know it happened.
 */
export async function withRequestFault(
  ctx: SandboxContext,
  operation: SandboxOperation | undefined,
  execute: Execute,
  chaos?: ChaosTarget,
): Promise<RouteOutcome> {
  const fault = ctx.faults.takeRequestFault(operation, chaos?.key);
  if (!fault) return execute({ wrongSignature: false });
  if (fault.kind === 'wrongSignature') return execute({ wrongSignature: true });
  // A busy answer means 2C2P did not process the request, so nothing is executed and no state changes.
  if (fault.kind === 'transientCode' && chaos) return chaos.busy();
  if (fault.applied) await execute({ wrongSignature: false });
  return faultOutcome(fault);
}
