// The JSON body of POST /_sandbox/chaos, checked field by field into a complete ChaosConfig (defaults filled in).

/** What a chaos request fault can be; `transientCode` is a signed "busy, try again" answer. */
export const CHAOS_REQUEST_FAULT_KINDS = ['timeout', 'http5xx', 'garbage', 'wrongSignature', 'transientCode'] as const;

/** One kind of chaos request fault. */
export type ChaosRequestFaultKind = (typeof CHAOS_REQUEST_FAULT_KINDS)[number];

/** Shares of backend notifications that are duplicated, reordered, delayed or dropped. */
export interface ChaosNotificationRates {
  duplicateRate: number;
  reorderRate: number;
  delayRate: number;
  dropRate: number;
  /** Sandbox time a delayed notification is held past its event (default 2 days). */
  delayMs: number;
}

/** A complete chaos configuration: every rate is a share from 0 to 1. */
export interface ChaosConfig {
  seed: number | string;
  requestFaultRate: number;
  requestFaultKinds: ChaosRequestFaultKind[];
  /** Of timeout/http5xx/garbage faults, the share processed before the answer is lost. */
  appliedShare: number;
  timeoutHoldMs: number;
  declineRate: number;
  refundPendingRate: number;
  notifications: ChaosNotificationRates;
}

const TOP_FIELDS = [
  'seed',
  'requestFaultRate',
  'requestFaultKinds',
  'appliedShare',
  'timeoutHoldMs',
  'declineRate',
  'refundPendingRate',
  'notifications',
];
const NOTIFICATION_FIELDS = ['duplicateRate', 'reorderRate', 'delayRate', 'dropRate', 'delayMs'];
const TWO_DAYS_MS = 2 * 86_400_000;

function object(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

// Unknown fields are refused so that a misspelt rate cannot silently stay at 0.
function onlyKnown(value: Record<string, unknown>, known: readonly string[], prefix: string): void {
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new TypeError(`${prefix}${unknown} is not a chaos field`);
}

function rate(value: unknown, name: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new RangeError(`${name} must be a number from 0 to 1`);
  }
  return value;
}

function duration(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number of milliseconds >= 0`);
  }
  return value;
}

function seed(value: unknown): number | string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && value !== '') return value;
  throw new TypeError('seed is required: an integer or a non-empty string');
}

function kinds(value: unknown): ChaosRequestFaultKind[] {
  if (value === undefined) return [...CHAOS_REQUEST_FAULT_KINDS];
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError('requestFaultKinds must be a non-empty array');
  }
  for (const kind of value) {
    if (!(CHAOS_REQUEST_FAULT_KINDS as readonly unknown[]).includes(kind)) {
      throw new RangeError(
        `requestFaultKinds: ${JSON.stringify(kind)} is not one of ${CHAOS_REQUEST_FAULT_KINDS.join(', ')}`,
      );
    }
  }
  // Duplicates would weigh one kind twice in the even choice.
  return [...new Set(value as ChaosRequestFaultKind[])];
}

/** Reads a chaos body; TypeError/RangeError naming the first bad field. */
export function parseChaosConfig(body: unknown): ChaosConfig {
  const b = object(body, 'the chaos body');
  onlyKnown(b, TOP_FIELDS, '');
  const n = object(b['notifications'] ?? {}, 'notifications');
  onlyKnown(n, NOTIFICATION_FIELDS, 'notifications.');
  return {
    seed: seed(b['seed']),
    requestFaultRate: rate(b['requestFaultRate'], 'requestFaultRate'),
    requestFaultKinds: kinds(b['requestFaultKinds']),
    appliedShare: rate(b['appliedShare'], 'appliedShare'),
    timeoutHoldMs: duration(b['timeoutHoldMs'], 'timeoutHoldMs', 5000),
    declineRate: rate(b['declineRate'], 'declineRate'),
    refundPendingRate: rate(b['refundPendingRate'], 'refundPendingRate'),
    notifications: {
      duplicateRate: rate(n['duplicateRate'], 'notifications.duplicateRate'),
      reorderRate: rate(n['reorderRate'], 'notifications.reorderRate'),
      delayRate: rate(n['delayRate'], 'notifications.delayRate'),
      dropRate: rate(n['dropRate'], 'notifications.dropRate'),
      delayMs: duration(n['delayMs'], 'notifications.delayMs', TWO_DAYS_MS),
    },
  };
}
