// Seeded chaos mode: decides which requests, charges, refunds and notifications suffer a fault, at given rates.
import { chaosRoll } from './chaos-dice.js';
import type { ChaosConfig, ChaosRequestFaultKind } from './chaos-config.js';

/** Everything chaos mode counts (GET /_sandbox/chaos `injected`); `xApplied` is the processed subset of `x`. */
export const CHAOS_COUNT_KINDS = [
  'timeout',
  'timeoutApplied',
  'http5xx',
  'http5xxApplied',
  'garbage',
  'garbageApplied',
  'wrongSignature',
  'transientCode',
  'decline',
  'refundPending',
  'notificationDuplicate',
  'notificationReorder',
  'notificationDelay',
  'notificationDrop',
] as const;

/** One counted kind of chaos fault. */
export type ChaosCountKind = (typeof CHAOS_COUNT_KINDS)[number];

/** What GET /_sandbox/chaos answers. */
export interface ChaosSnapshot {
  config: ChaosConfig | null;
  injected: Record<ChaosCountKind, number>;
}

/** A request fault chaos chose. */
export interface ChaosRequestFault {
  readonly kind: ChaosRequestFaultKind;
  readonly applied: boolean;
  readonly holdMs: number;
}

/** What chaos chose for one notification. */
export interface ChaosNotificationFate {
  readonly drop: boolean;
  readonly duplicate: boolean;
  /** Set when the notification is to be held this long past its event. */
  readonly delayMs?: number;
}

// Only these lose an answer that may already have been processed; a wrong signature always is, a busy answer never.
const MAY_BE_APPLIED: ReadonlySet<ChaosRequestFaultKind> = new Set(['timeout', 'http5xx', 'garbage']);

// Insufficient funds: the commonest card decline, and one the engine treats as final for the attempt (dunning).
const CHAOS_DECLINE_CODE = '4051';

const zeroCounts = (): Record<ChaosCountKind, number> =>
  Object.fromEntries(CHAOS_COUNT_KINDS.map((kind) => [kind, 0])) as Record<ChaosCountKind, number>;

/**
 * The chaos state of one sandbox. The decide methods only roll (they advance the per-key occurrence, so a
 * one-shot fault taking precedence does not shift later decisions); callers `count` what they applied.
 */
export class SandboxChaos {
  private config: ChaosConfig | undefined;
  private readonly seen = new Map<string, number>();
  private counts = zeroCounts();

  /** Turns chaos on with `config` (from parseChaosConfig), starting the decisions and counts afresh. */
  configure(config: ChaosConfig): void {
    this.config = structuredClone(config);
    this.seen.clear();
    this.counts = zeroCounts();
  }

  /** Turns chaos off; the counts stay readable until the next configure. */
  off(): void {
    this.config = undefined;
  }

  /** The configuration in force and what has been injected since it was set. */
  snapshot(): ChaosSnapshot {
    return { config: this.config ? structuredClone(this.config) : null, injected: { ...this.counts } };
  }

  /** Adds one to a count (internal). */
  count(kind: ChaosCountKind): void {
    this.counts[kind] += 1;
  }

  /** Whether each clock advance's notifications are held as one batch, so that reordering has neighbours to swap. */
  holdsBatches(): boolean {
    return (this.config?.notifications.reorderRate ?? 0) > 0;
  }

  /** The fault for one gateway request, keyed by operation and what it is about (invoice, token, plan). */
  requestFault(operation: string, key: string): ChaosRequestFault | undefined {
    const c = this.config;
    if (!c) return undefined;
    const k = `${operation}|${key}`;
    const n = this.occurrence('request', k);
    if (chaosRoll(c.seed, 'request', k, n) >= c.requestFaultRate) return undefined;
    const index = Math.floor(chaosRoll(c.seed, 'requestKind', k, n) * c.requestFaultKinds.length);
    const kind = c.requestFaultKinds[index] ?? 'timeout';
    const applied = MAY_BE_APPLIED.has(kind) && chaosRoll(c.seed, 'applied', k, n) < c.appliedShare;
    return { kind, applied, holdMs: c.timeoutHoldMs };
  }

  /** The decline code for one recurring charge, or undefined to charge it. */
  chargeDecline(key: string): string | undefined {
    return this.chance('decline', key, this.config?.declineRate) ? CHAOS_DECLINE_CODE : undefined;
  }

  /** Whether one refund answers pending (42, status RP). */
  refundPending(key: string): boolean {
    return this.chance('refundPending', key, this.config?.refundPendingRate);
  }

  /** Drop, duplicate and delay for one notification (a dropped one is neither duplicated nor delayed). */
  notificationFate(key: string): ChaosNotificationFate {
    const c = this.config?.notifications;
    const drop = this.chance('notificationDrop', key, c?.dropRate);
    const duplicate = this.chance('notificationDuplicate', key, c?.duplicateRate) && !drop;
    const delay = this.chance('notificationDelay', key, c?.delayRate) && !drop;
    return { drop, duplicate, ...(delay && c ? { delayMs: c.delayMs } : {}) };
  }

  /**
   * Reorders one batch: a notification picked for reordering swaps places with the one after it (that one is
   * not picked again); the last of a batch has no neighbour and stays. Returns the new order and the swaps.
   */
  reorder<T>(batch: readonly T[], keyOf: (item: T) => string): { items: T[]; swaps: number } {
    const items = [...batch];
    let swaps = 0;
    for (let i = 0; i < items.length; i += 1) {
      const item = items[i] as T;
      if (!this.chance('notificationReorder', keyOf(item), this.config?.notifications.reorderRate)) continue;
      if (i + 1 >= items.length) break;
      items[i] = items[i + 1] as T;
      items[i + 1] = item;
      swaps += 1;
      i += 1;
    }
    return { items, swaps };
  }

  private chance(decision: string, key: string, probability: number | undefined): boolean {
    const c = this.config;
    if (!c || !probability) return false;
    return chaosRoll(c.seed, decision, key, this.occurrence(decision, key)) < probability;
  }

  /** How many times `key` was seen before for this decision (0 the first time). */
  private occurrence(decision: string, key: string): number {
    const id = `${decision}|${key}`;
    const n = this.seen.get(id) ?? 0;
    this.seen.set(id, n + 1);
    return n;
  }
}
