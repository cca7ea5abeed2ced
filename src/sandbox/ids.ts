// Identifier generators: reference numbers, approval codes, plan ids, customer and payment tokens.
import { randomBytes, randomInt } from 'node:crypto';

/** Where the growing counters stand, so a restored sandbox never issues an identifier twice. */
export interface IdCounters {
  readonly reference: number;
  readonly plan: number;
  readonly payment: number;
}

/** Issues the identifiers 2C2P would assign; counters start at random points so runs differ. */
export class IdSource {
  private reference = randomInt(1_000_000, 5_000_000);
  private plan = randomInt(100_000, 900_000);
  private payment = randomInt(10_000_000, 50_000_000);

  /** The counters as they stand. */
  counters(): IdCounters {
    return { reference: this.reference, plan: this.plan, payment: this.payment };
  }

  /** Continues from saved counters (RangeError unless each is a non-negative safe integer). */
  resume(c: IdCounters): void {
    for (const value of [c.reference, c.plan, c.payment]) {
      if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('id counters must be non-negative integers');
    }
    this.reference = c.reference;
    this.plan = c.plan;
    this.payment = c.payment;
  }

  /** A 7-digit (growing) gateway reference number. */
  referenceNo(): string {
    this.reference += 1;
    return String(this.reference);
  }

  /** A transaction reference, distinct from referenceNo. */
  tranRef(): string {
    return String(randomInt(1_000_000, 10_000_000));
  }

  /** A 6-digit approval code. */
  approvalCode(): string {
    return String(randomInt(0, 1_000_000)).padStart(6, '0');
  }

  /** A numeric recurringUniqueID. */
  recurringUniqueID(): string {
    this.plan += 1;
    return String(this.plan);
  }

  /** A 20-digit customer (card) token. */
  customerToken(): string {
    let digits = String(randomInt(1, 10));
    while (digits.length < 20) digits += String(randomInt(0, 10));
    return digits;
  }

  /** A payment token in 2C2P's shape: standard base64, so it contains `+`, `/` and `=`. */
  paymentToken(): string {
    return randomBytes(61).toString('base64');
  }

  /** A paymentID for merchant-initiated transactions, e.g. `ccpp_12345678`. */
  paymentID(): string {
    this.payment += 1;
    return `ccpp_${this.payment}`;
  }
}
