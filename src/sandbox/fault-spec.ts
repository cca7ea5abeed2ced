// The JSON form of fault injection used by POST /_sandbox/faults, mapped onto SandboxFaults.
import { SandboxFaults } from './faults.js';
import type { SandboxOperation } from './operations.js';

/** One fault in JSON, e.g. `{"type":"http5xx","count":2,"operation":"refund"}`. */
export type FaultSpec =
  | { type: 'latency'; ms: number }
  | { type: 'timeout'; count?: number; operation?: SandboxOperation; applied?: boolean; holdMs?: number }
  | { type: 'http5xx'; count?: number; operation?: SandboxOperation; applied?: boolean; status?: number }
  | { type: 'garbage'; count?: number; operation?: SandboxOperation; applied?: boolean }
  | { type: 'wrongSignature'; count?: number; operation?: SandboxOperation }
  | { type: 'busy'; count?: number; operation?: SandboxOperation }
  | { type: 'duplicateNotifications'; on?: boolean }
  | { type: 'outOfOrderNotifications'; on?: boolean }
  | { type: 'dropNextNotification'; count?: number }
  | { type: 'declineNextCharge'; recurringUniqueID?: string; respCode?: string; count?: number }
  | { type: 'declineNextPayment'; respCode?: string; count?: number }
  | { type: 'refundPending'; count?: number };

function field<T>(spec: Record<string, unknown>, name: string, kind: 'number' | 'string' | 'boolean'): T | undefined {
  const value = spec[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== kind) throw new TypeError(`${String(spec['type'])}.${name} must be a ${kind}`);
  return value as T;
}

function applyOne(faults: SandboxFaults, raw: unknown): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new TypeError('a fault must be an object');
  const spec = raw as Record<string, unknown>;
  const count = field<number>(spec, 'count', 'number');
  const operation = field<SandboxOperation>(spec, 'operation', 'string');
  const applied = field<boolean>(spec, 'applied', 'boolean');
  const on = field<boolean>(spec, 'on', 'boolean');
  const respCode = field<string>(spec, 'respCode', 'string');
  const request = { count, operation, applied };
  switch (spec['type']) {
    case 'latency':
      return faults.setLatency(field<number>(spec, 'ms', 'number') ?? 0);
    case 'timeout':
      return faults.timeout({ ...request, holdMs: field<number>(spec, 'holdMs', 'number') });
    case 'http5xx':
      return faults.http5xx({ ...request, status: field<number>(spec, 'status', 'number') });
    case 'garbage':
      return faults.garbage(request);
    case 'wrongSignature':
      return faults.wrongSignature({ count, operation });
    case 'busy':
      return faults.busy({ count, operation });
    case 'duplicateNotifications':
      return faults.duplicateNotifications(on ?? true);
    case 'outOfOrderNotifications':
      return faults.outOfOrderNotifications(on ?? true);
    case 'dropNextNotification':
      return faults.dropNextNotification(count ?? 1);
    case 'declineNextCharge':
      return faults.declineNextCharge({
        count,
        respCode,
        recurringUniqueID: field<string>(spec, 'recurringUniqueID', 'string'),
      });
    case 'declineNextPayment':
      return faults.declineNextPayment({ count, respCode });
    case 'refundPending':
      return faults.refundPending(count ?? 1);
    default:
      throw new TypeError(`unknown fault type ${JSON.stringify(spec['type'])}`);
  }
}

/** Arms one fault or a list of faults given as JSON; a bad spec throws TypeError/RangeError and arms nothing. */
export function applyFaultSpec(faults: SandboxFaults, spec: unknown): void {
  const list = Array.isArray(spec) ? spec : [spec];
  const rehearsal = new SandboxFaults();
  for (const item of list) applyOne(rehearsal, item);
  for (const item of list) applyOne(faults, item);
}
