// The activity interface the subscription workflow calls: one gateway call or one ledger write each.
// Workflows import these types only; src/activities/create-activities.ts implements them.
import type { BillingInterval } from '../domain/billing-schedule.js';
import type { CalendarDate } from '../domain/calendar-date.js';
import type {
  ChargeRecord,
  PaymentNotification,
  Plan,
  RefundRecord,
  SubscriptionView,
} from '../domain/subscription-model.js';

/** Which subscription a gateway call belongs to, for routing and the audit row. */
export interface CallContext {
  merchantId: string;
  subscriptionId: string;
}

export interface PaymentLinkRequest extends CallContext {
  invoiceNo: string;
  description: string;
  amountMinor: number;
  currency: string;
  customerTokens?: string[];
  customerTokenOnly?: boolean;
  /** ISO instant after which the link no longer works. */
  expiresAt: string;
  backendReturnUrl?: string;
  frontendReturnUrl?: string;
  recurring?: {
    invoicePrefix: string;
    amountMinor: number;
    allowAccumulate: boolean;
    maxAccumulateMinor: number;
    interval: BillingInterval;
    recurringCount: number;
    chargeNextDate: CalendarDate;
  };
}

/** What Payment Inquiry knows about an invoice. */
export type PaymentInquiryResult =
  | { found: false; respCode: string; respDesc: string }
  | { found: true; outcome: 'succeeded' | 'declined' | 'pending'; notification: PaymentNotification };

export interface TransactionStatus {
  /** PaymentAction status code (A, S, RF, V, …). */
  status: string;
  settled: boolean;
  voided: boolean;
}

export interface RefundOutcome {
  status: 'succeeded' | 'pending' | 'failed';
  respCode: string;
  respDesc: string;
  referenceNo?: string;
}

export interface SubscriptionActivities {
  createPaymentLink(request: PaymentLinkRequest): Promise<{ paymentToken: string; webPaymentUrl: string }>;
  inquirePayment(request: CallContext & { invoiceNo: string }): Promise<PaymentInquiryResult>;
  /** With the charge's amount when known: 2C2P's inquiry sample carries it as actionAmount. */
  inquireTransaction(
    request: CallContext & { invoiceNo: string; amountMinor?: number; currency?: string },
  ): Promise<TransactionStatus>;
  inquireBalance(request: CallContext): Promise<{ availableMinor: number; currency: string }>;
  refundCharge(
    request: CallContext & { invoiceNo: string; amountMinor: number; currency: string; idempotencyId: string },
  ): Promise<RefundOutcome>;
  inquireRefund(
    request: CallContext & { invoiceNo: string; referenceNo?: string; amountMinor: number; currency: string },
  ): Promise<RefundOutcome>;
  inquirePlan(
    request: CallContext & { recurringUniqueID: string },
  ): Promise<{ recurringStatus: 'Y' | 'N'; currentCount?: number; chargeNextDate?: CalendarDate }>;
  /** RPP U with the whole plan; without chargeNextDate, 2C2P's own (and its status) is read by an RPP inquiry first. */
  changePlan(
    request: CallContext & { recurringUniqueID: string; plan: Plan; chargeNextDate?: CalendarDate },
  ): Promise<void>;
  /**
   * RPP C with the plan's current terms. `plan` and `chargeNextDate` are optional so that workflows which
   * do not pass them (v1) keep working: whatever is missing is read by an RPP inquiry first.
   */
  cancelPlan(
    request: CallContext & { recurringUniqueID: string; plan?: Plan; chargeNextDate?: CalendarDate },
  ): Promise<void>;
  saveSubscription(view: SubscriptionView): Promise<void>;
  recordCharge(request: CallContext & { charge: ChargeRecord }): Promise<void>;
  saveRefund(request: CallContext & { refund: RefundRecord }): Promise<void>;
  recordDunningReminder(
    request: CallContext & { invoiceNo: string; reminder: number; of: number; webPaymentUrl: string },
  ): Promise<void>;
}

/** The activities that call 2C2P (gateway retry policy). */
export type GatewayActivities = Pick<
  SubscriptionActivities,
  | 'createPaymentLink'
  | 'inquirePayment'
  | 'inquireTransaction'
  | 'inquireBalance'
  | 'refundCharge'
  | 'inquireRefund'
  | 'inquirePlan'
  | 'changePlan'
  | 'cancelPlan'
>;

/** The activities that write the PostgreSQL projection (database retry policy). */
export type LedgerActivities = Pick<
  SubscriptionActivities,
  'saveSubscription' | 'recordCharge' | 'saveRefund' | 'recordDunningReminder'
>;
