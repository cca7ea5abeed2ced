// Fault injection: what the next requests, notifications, charges, payments and refunds should suffer.
import { SandboxChaos } from './chaos.js';
import { isSandboxOperation, type SandboxOperation } from './operations.js';

/** What a faulted request gets instead of its answer (`transientCode`: a signed "busy, try again" answer). */
export type RequestFaultKind = 'timeout' | 'http5xx' | 'garbage' | 'wrongSignature' | 'transientCode';

/** Which requests a request fault hits. */
export interface RequestFaultOptions {
  /** How many matching requests (default 1). */
  count?: number;
  /** Only requests of this operation (default: any). */
  operation?: SandboxOperation;
  /** Process the request before failing the answer, so the outcome is unknown to the caller (default false). */
  applied?: boolean;
}

/** A queued request fault. */
export interface RequestFault {
  readonly kind: RequestFaultKind;
  remaining: number;
  readonly operation?: SandboxOperation;
  readonly applied: boolean;
  readonly status?: number;
  readonly holdMs?: number;
}

interface Decline {
  readonly respCode: string;
  readonly recurringUniqueID?: string;
  remaining: number;
}

/** A JSON-ready view of the armed faults (GET /_sandbox/faults). */
export interface FaultsSnapshot {
  latencyMs: number;
  requests: RequestFault[];
  notifications: { duplicate: boolean; outOfOrder: boolean; dropNext: number };
  declineNextCharge: Decline[];
  declineNextPayment: Decline[];
  refundPending: number;
}

function positiveCount(count: number | undefined, name: string): number {
  const value = count ?? 1;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name}: count must be a positive integer`);
  return value;
}

function declineCode(code: string | undefined): string {
  const value = code ?? '4051';
  if (!/^\d{4}$/.test(value) || value === '0000') {
    throw new RangeError('respCode must be a 4-digit PGW decline code other than 0000');
  }
  return value;
}

/** What happens to one notification: one-shot faults first, then chaos. */
export interface NotificationFate {
  readonly dropped: boolean;
  readonly duplicate: boolean;
  readonly delayMs?: number;
}

/**
 * The armed faults of one sandbox; every method validates its input and throws RangeError/TypeError. The
 * take methods compose the one-shot faults with seeded chaos mode (`chaos`): a one-shot fault takes precedence.
 */
export class SandboxFaults {
  /** Seeded, probabilistic faults (POST /_sandbox/chaos); `clear()` leaves them alone. */
  readonly chaos = new SandboxChaos();
  private latency = 0;
  private requests: RequestFault[] = [];
  private notifications = { duplicate: false, outOfOrder: false, dropNext: 0 };
  private chargeDeclines: Decline[] = [];
  private paymentDeclines: Decline[] = [];
  private pendingRefunds = 0;

  /** Delay added before every gateway answer, in milliseconds. */
  get latencyMs(): number {
    return this.latency;
  }

  /** Sets the delay added before every gateway answer. */
  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('latencyMs must be a non-negative number');
    this.latency = ms;
  }

  /** The next requests hang (connection held open, no answer) for `holdMs` or until the sandbox closes. */
  timeout(opts: RequestFaultOptions & { holdMs?: number } = {}): void {
    if (opts.holdMs !== undefined && !(opts.holdMs >= 0)) throw new RangeError('holdMs must be >= 0');
    this.push('timeout', opts, { holdMs: opts.holdMs });
  }

  /** The next requests get an HTTP 5xx plain-text answer (default 503). */
  http5xx(opts: RequestFaultOptions & { status?: number } = {}): void {
    const status = opts.status ?? 503;
    if (!Number.isInteger(status) || status < 500 || status > 599) throw new RangeError('status must be 500..599');
    this.push('http5xx', opts, { status });
  }

  /** The next requests get HTTP 200 with a body that is neither JOSE nor JSON. */
  garbage(opts: RequestFaultOptions = {}): void {
    this.push('garbage', opts, {});
  }

  /** The next requests are processed and answered, but signed with a key (or secret) the merchant does not know. */
  wrongSignature(opts: Omit<RequestFaultOptions, 'applied'> = {}): void {
    this.push('wrongSignature', { ...opts, applied: true }, {});
  }

  /**
   * The next requests get 2C2P's correctly signed "busy, try again" answer (0999 from the PGW endpoints, 99
   * from PaymentAction and balance inquiry) and are not processed, as chaos mode's `transientCode`.
   */
  busy(opts: Omit<RequestFaultOptions, 'applied'> = {}): void {
    this.push('transientCode', { ...opts, applied: false }, {});
  }

  /** Every backend notification is sent twice while on. */
  duplicateNotifications(on = true): void {
    this.notifications.duplicate = on;
  }

  /** Notifications of one clock advance are held and delivered in reverse order while on. */
  outOfOrderNotifications(on = true): void {
    this.notifications.outOfOrder = on;
  }

  /** The next `count` backend notifications are never sent. */
  dropNextNotification(count = 1): void {
    this.notifications.dropNext += positiveCount(count, 'dropNextNotification');
  }

  /** The next recurring charges (of one plan, if given) are declined with `respCode` (default 4051). */
  declineNextCharge(opts: { recurringUniqueID?: string; respCode?: string; count?: number } = {}): void {
    if (opts.recurringUniqueID !== undefined && !/^\d{1,20}$/.test(opts.recurringUniqueID)) {
      throw new RangeError('recurringUniqueID must be numeric');
    }
    this.chargeDeclines.push({
      respCode: declineCode(opts.respCode),
      remaining: positiveCount(opts.count, 'declineNextCharge'),
      ...(opts.recurringUniqueID === undefined ? {} : { recurringUniqueID: opts.recurringUniqueID }),
    });
  }

  /** The next hosted-page approvals are declined with `respCode` (default 4051). */
  declineNextPayment(opts: { respCode?: string; count?: number } = {}): void {
    this.paymentDeclines.push({
      respCode: declineCode(opts.respCode),
      remaining: positiveCount(opts.count, 'declineNextPayment'),
    });
  }

  /** The next `count` refunds answer 42 (status RP) and complete to RF at the next clock advance. */
  refundPending(count = 1): void {
    this.pendingRefunds += positiveCount(count, 'refundPending');
  }

  /** Disarms every fault and resets latency to 0. */
  clear(): void {
    this.latency = 0;
    this.requests = [];
    this.notifications = { duplicate: false, outOfOrder: false, dropNext: 0 };
    this.chargeDeclines = [];
    this.paymentDeclines = [];
    this.pendingRefunds = 0;
  }

  /** A JSON-ready copy of what is armed. */
  snapshot(): FaultsSnapshot {
    return structuredClone({
      latencyMs: this.latency,
      requests: this.requests,
      notifications: this.notifications,
      declineNextCharge: this.chargeDeclines,
      declineNextPayment: this.paymentDeclines,
      refundPending: this.pendingRefunds,
    });
  }

  /**
   * Consumes the first request fault matching `operation`, else asks chaos about the request known by
   * `chaosKey` (internal to the sandbox; without a key or an operation chaos is not asked).
   */
  takeRequestFault(operation: SandboxOperation | undefined, chaosKey?: string): RequestFault | undefined {
    // Chaos rolls even when a one-shot fault wins, so arming one does not shift the seeded sequence.
    const chaos = operation && chaosKey !== undefined ? this.chaos.requestFault(operation, chaosKey) : undefined;
    const fault = this.requests.find((f) => f.operation === undefined || f.operation === operation);
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining === 0) this.requests = this.requests.filter((f) => f !== fault);
      return fault;
    }
    if (!chaos) return undefined;
    this.chaos.count(chaos.kind);
    if (chaos.applied && chaos.kind !== 'wrongSignature' && chaos.kind !== 'transientCode') {
      this.chaos.count(`${chaos.kind}Applied`);
    }
    return {
      kind: chaos.kind,
      remaining: 0,
      applied: chaos.applied || chaos.kind === 'wrongSignature',
      ...(chaos.kind === 'timeout' ? { holdMs: chaos.holdMs } : {}),
      ...(chaos.kind === 'http5xx' ? { status: 503 } : {}),
    };
  }

  /** Consumes a charge decline for the plan, else asks chaos about charge `sequenceNo`; the respCode (internal). */
  takeChargeDecline(recurringUniqueID: string, sequenceNo?: number): string | undefined {
    const chaos = sequenceNo === undefined ? undefined : this.chaos.chargeDecline(`${recurringUniqueID}|${sequenceNo}`);
    const match = this.chargeDeclines.find(
      (d) => d.recurringUniqueID === undefined || d.recurringUniqueID === recurringUniqueID,
    );
    if (match) return this.consume(match, 'charge');
    if (chaos) this.chaos.count('decline');
    return chaos;
  }

  /** Consumes a payment decline, returning its respCode (internal). */
  takePaymentDecline(): string | undefined {
    const match = this.paymentDeclines[0];
    return match ? this.consume(match, 'payment') : undefined;
  }

  /** Consumes one pending-refund fault, else asks chaos about the refund known by `chaosKey` (internal). */
  takeRefundPending(chaosKey?: string): boolean {
    const chaos = chaosKey !== undefined && this.chaos.refundPending(chaosKey);
    if (this.pendingRefunds > 0) {
      this.pendingRefunds -= 1;
      return true;
    }
    if (chaos) this.chaos.count('refundPending');
    return chaos;
  }

  /** Drop (one-shot first), duplicate (while on, or by chaos) and chaos delay for one notification (internal). */
  takeNotificationFate(chaosKey: string): NotificationFate {
    const chaos = this.chaos.notificationFate(chaosKey);
    if (this.takeDrop()) return { dropped: true, duplicate: false };
    if (chaos.drop) {
      this.chaos.count('notificationDrop');
      return { dropped: true, duplicate: false };
    }
    if (chaos.duplicate && !this.notifications.duplicate) this.chaos.count('notificationDuplicate');
    if (chaos.delayMs !== undefined) this.chaos.count('notificationDelay');
    return {
      dropped: false,
      duplicate: this.notifications.duplicate || chaos.duplicate,
      ...(chaos.delayMs === undefined ? {} : { delayMs: chaos.delayMs }),
    };
  }

  /** One batch of notifications in the order chaos gives it (internal). */
  reorderNotifications<T>(batch: readonly T[], keyOf: (item: T) => string): T[] {
    const { items, swaps } = this.chaos.reorder(batch, keyOf);
    for (let i = 0; i < swaps; i += 1) this.chaos.count('notificationReorder');
    return items;
  }

  /** Consumes one dropped-notification fault (internal). */
  takeDrop(): boolean {
    if (this.notifications.dropNext === 0) return false;
    this.notifications.dropNext -= 1;
    return true;
  }

  /** Whether notifications are currently duplicated / reversed (internal). */
  notificationMode(): { duplicate: boolean; outOfOrder: boolean } {
    return { duplicate: this.notifications.duplicate, outOfOrder: this.notifications.outOfOrder };
  }

  private consume(decline: Decline, list: 'charge' | 'payment'): string {
    decline.remaining -= 1;
    if (decline.remaining === 0) {
      if (list === 'charge') this.chargeDeclines = this.chargeDeclines.filter((d) => d !== decline);
      else this.paymentDeclines = this.paymentDeclines.filter((d) => d !== decline);
    }
    return decline.respCode;
  }

  private push(kind: RequestFaultKind, opts: RequestFaultOptions, extra: { status?: number; holdMs?: number }): void {
    if (opts.operation !== undefined && !isSandboxOperation(opts.operation)) {
      throw new RangeError(`unknown operation ${String(opts.operation)}`);
    }
    this.requests.push({
      kind,
      remaining: positiveCount(opts.count, kind),
      applied: opts.applied ?? false,
      ...(opts.operation === undefined ? {} : { operation: opts.operation }),
      ...(extra.status === undefined ? {} : { status: extra.status }),
      ...(extra.holdMs === undefined ? {} : { holdMs: extra.holdMs }),
    });
  }
}
