// Delivers backend notifications over HTTP with bounded retries, applying notification faults and recording each one.
import type { SandboxFaults } from './faults.js';
import type { SandboxNotificationOptions } from './types.js';

/** A notification ready to send; `encode` builds the signed body at send time. */
export interface OutgoingNotification {
  readonly kind: 'payment' | 'recurring' | 'refund';
  readonly merchantId: string;
  readonly url: string | undefined;
  readonly invoiceNo: string;
  readonly respCode: string;
  readonly recurringUniqueID?: string;
  readonly recurringSequenceNo?: number;
  /** Sandbox time of the event that caused it. */
  readonly at: Date;
  /** The decoded content (masked card data only), kept in the ledger. */
  readonly content: Readonly<Record<string, string>>;
  encode(): Promise<{ contentType: string; body: string }>;
}

/** One delivery attempt (real time, since delivery happens in real time). */
export interface DeliveryAttempt {
  readonly at: string;
  readonly httpStatus?: number;
  readonly error?: string;
}

/** The ledger entry of one notification. */
export interface NotificationRecord extends Omit<OutgoingNotification, 'encode'> {
  readonly id: number;
  readonly attempts: DeliveryAttempt[];
  delivered: boolean;
  readonly dropped: boolean;
  readonly duplicate: boolean;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends notifications one after another; never waits longer than attempts × (timeout + delay) per notification. */
export class Notifier {
  readonly records: NotificationRecord[] = [];
  private readonly attempts: number;
  private readonly timeoutMs: number;
  private readonly retryDelayMs: number;

  constructor(
    private readonly faults: SandboxFaults,
    opts: SandboxNotificationOptions = {},
  ) {
    this.attempts = opts.attempts ?? 3;
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.retryDelayMs = opts.retryDelayMs ?? 50;
    if (!Number.isInteger(this.attempts) || this.attempts < 1)
      throw new RangeError('notifications.attempts must be >= 1');
    if (!(this.timeoutMs > 0)) throw new RangeError('notifications.timeoutMs must be > 0');
    if (!(this.retryDelayMs >= 0)) throw new RangeError('notifications.retryDelayMs must be >= 0');
  }

  /** Delivers a batch in order (reversed while the out-of-order fault is on); resolves when every send has ended. */
  async deliver(batch: readonly OutgoingNotification[]): Promise<void> {
    const mode = this.faults.notificationMode();
    const ordered = mode.outOfOrder ? [...batch].reverse() : batch;
    for (const out of ordered) {
      const dropped = this.faults.takeDrop();
      await this.send(out, this.record(out, dropped, false));
      if (mode.duplicate && !dropped) await this.send(out, this.record(out, false, true));
    }
  }

  private record(out: OutgoingNotification, dropped: boolean, duplicate: boolean): NotificationRecord {
    const record: NotificationRecord = {
      id: this.records.length + 1,
      kind: out.kind,
      merchantId: out.merchantId,
      url: out.url,
      invoiceNo: out.invoiceNo,
      respCode: out.respCode,
      at: out.at,
      content: out.content,
      attempts: [],
      delivered: false,
      dropped,
      duplicate,
      ...(out.recurringUniqueID === undefined ? {} : { recurringUniqueID: out.recurringUniqueID }),
      ...(out.recurringSequenceNo === undefined ? {} : { recurringSequenceNo: out.recurringSequenceNo }),
    };
    this.records.push(record);
    return record;
  }

  private async send(out: OutgoingNotification, record: NotificationRecord): Promise<void> {
    if (record.dropped) return;
    if (!out.url) {
      record.attempts.push({ at: new Date().toISOString(), error: 'no backendReturnUrl configured' });
      return;
    }
    const { contentType, body } = await out.encode();
    for (let attempt = 1; attempt <= this.attempts; attempt += 1) {
      if (attempt > 1) await wait(this.retryDelayMs);
      const at = new Date().toISOString();
      try {
        const res = await fetch(out.url, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        record.attempts.push({ at, httpStatus: res.status });
        if (res.ok) {
          record.delivered = true;
          return;
        }
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        record.attempts.push({ at, error: name === 'TimeoutError' ? 'timeout' : 'connection failed' });
      }
    }
  }
}
