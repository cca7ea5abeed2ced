// The `recur 2c2p` operations: which flags each takes and how they become one gateway client call.
import type { GatewayClient } from '../gateway/client.js';
import { planTermsFromInquiry, withPlanChanges, type RecurringPlanChanges } from '../gateway/recurring-plan.js';
import type { FlagName, FlagReader } from './flag-reader.js';
import { UsageError } from './usage-error.js';

/** A prepared call: every flag is already validated, so running it is the first I/O. */
export type GatewayCall = (client: GatewayClient) => Promise<unknown>;

/** One `recur 2c2p` operation. */
export interface GatewayOp {
  readonly summary: string;
  /** Flags the op accepts, besides --currency and --help. */
  readonly flags: readonly FlagName[];
  /** Validates the flags and returns the call to make. */
  build(r: FlagReader): GatewayCall;
}

type PaymentTokenInput = Parameters<GatewayClient['paymentToken']>[0];
type RecurringPlan = NonNullable<PaymentTokenInput['recurring']>;

const PLAN_FLAGS = [
  'invoice-prefix',
  'recurring-amount',
  'allow-accumulate',
  'no-allow-accumulate',
  'max-accumulate-amount',
  'interval',
  'charge-on-date',
  'count',
  'charge-next-date',
] as const satisfies readonly FlagName[];

/** The recurring plan of a payment token, from --recurring and the plan flags. */
function recurringPlan(r: FlagReader, firstAmount: PaymentTokenInput['amount']): RecurringPlan | undefined {
  if (!r.flag('recurring')) {
    const stray = PLAN_FLAGS.find((name) => r.has(name));
    if (stray) throw new UsageError(`--${stray} needs --recurring`);
    return undefined;
  }
  const amount = r.money('recurring-amount') ?? firstAmount;
  const intervalDays = r.integer('interval', 1, 365);
  const chargeOnDate = r.dayMonth('charge-on-date');
  if ((intervalDays === undefined) === (chargeOnDate === undefined)) {
    throw new UsageError('--recurring needs exactly one of --interval or --charge-on-date');
  }
  const chargeNextDate = r.date('charge-next-date');
  if (chargeNextDate === undefined) throw new UsageError('--charge-next-date is required with --recurring');
  return {
    invoicePrefix: r.requireString('invoice-prefix'),
    amount,
    allowAccumulate: r.accumulate() ?? false,
    maxAccumulateAmount: r.money('max-accumulate-amount') ?? amount,
    ...(intervalDays !== undefined ? { intervalDays } : { chargeOnDate }),
    count: r.integer('count', 0, 9999) ?? 0,
    chargeNextDate,
  };
}

/** The operations by their command-line name. */
export const GATEWAY_OPS: Readonly<Record<string, GatewayOp>> = {
  balance: {
    summary: 'balance inquiry (PaymentAction balanceInquiry)',
    flags: [],
    build: () => (client) => client.balanceInquiry(),
  },
  'payment-token': {
    summary: 'create a payment token (PGW 4.3), optionally with a recurring plan',
    flags: ['invoice', 'amount', 'description', 'customer-token', 'idempotency-id', 'recurring', ...PLAN_FLAGS],
    build(r) {
      const invoiceNo = r.requireString('invoice');
      const amount = r.requireMoney('amount');
      const customerToken = r.list('customer-token');
      const input: PaymentTokenInput = {
        invoiceNo,
        description: r.string('description') ?? `Payment ${invoiceNo}`,
        amount,
        ...(customerToken.length > 0 ? { customerToken } : {}),
        ...(r.has('idempotency-id') ? { idempotencyID: r.requireString('idempotency-id') } : {}),
      };
      const recurring = recurringPlan(r, amount);
      if (recurring) input.recurring = recurring;
      return (client) => client.paymentToken(input);
    },
  },
  'payment-inquiry': {
    summary: 'payment inquiry (PGW 4.3) by --invoice or --payment-token',
    flags: ['invoice', 'payment-token'],
    build(r) {
      const invoiceNo = r.string('invoice');
      const paymentToken = r.string('payment-token');
      if (!invoiceNo && !paymentToken) throw new UsageError('--invoice or --payment-token is required');
      return (client) => client.paymentInquiry({ invoiceNo, paymentToken });
    },
  },
  inquiry: {
    summary: 'transaction inquiry (processType I)',
    flags: ['invoice', 'amount'],
    build(r) {
      const request = { invoiceNo: r.requireString('invoice'), amount: r.money('amount') };
      return (client) => client.inquiry(request);
    },
  },
  void: {
    summary: 'void an authorised, unsettled transaction (processType V)',
    flags: ['invoice', 'amount'],
    build(r) {
      const request = { invoiceNo: r.requireString('invoice'), amount: r.requireMoney('amount') };
      return (client) => client.void(request);
    },
  },
  settle: {
    summary: 'settle a transaction (processType S)',
    flags: ['invoice', 'amount'],
    build(r) {
      const request = { invoiceNo: r.requireString('invoice'), amount: r.money('amount') };
      return (client) => client.settle(request);
    },
  },
  refund: {
    summary: 'refund all or part of a settled transaction (processType R)',
    flags: ['invoice', 'amount', 'idempotency-id'],
    build(r) {
      const request = {
        invoiceNo: r.requireString('invoice'),
        amount: r.requireMoney('amount'),
        idempotencyID: r.string('idempotency-id'),
      };
      return (client) => client.refund(request);
    },
  },
  'refund-status': {
    summary: 'refund status inquiry (processType RS)',
    flags: ['invoice', 'amount'],
    build(r) {
      const request = { invoiceNo: r.requireString('invoice'), amount: r.money('amount') };
      return (client) => client.refundStatus(request);
    },
  },
  'rpp-inquiry': {
    summary: 'recurring plan inquiry (RecurringMaintenance I)',
    flags: ['id'],
    build(r) {
      const request = { recurringUniqueID: r.requireString('id') };
      return (client) => client.recurringInquiry(request);
    },
  },
  'rpp-update': {
    summary: 'update a recurring plan (RPP inquiry, then U with its terms and the flags applied)',
    flags: [
      'id',
      'recurring-status',
      ...PLAN_FLAGS.filter((f) => f !== 'invoice-prefix' && f !== 'recurring-amount'),
      'amount',
    ],
    build(r) {
      const changes: RecurringPlanChanges = {
        recurringStatus: recurringStatusFlag(r.string('recurring-status')),
        amount: r.money('amount'),
        allowAccumulate: r.accumulate(),
        maxAccumulateAmount: r.money('max-accumulate-amount'),
        intervalDays: r.integer('interval', 1, 365),
        count: r.integer('count', 0, 9999),
        chargeNextDate: r.date('charge-next-date'),
        chargeOnDate: r.dayMonth('charge-on-date'),
      };
      const recurringUniqueID = r.requireString('id');
      if (Object.values(changes).every((v) => v === undefined))
        throw new UsageError('rpp-update needs at least one change');
      if (changes.intervalDays !== undefined && changes.chargeOnDate !== undefined)
        throw new UsageError('--interval and --charge-on-date exclude each other');
      return async (client) => {
        const current = await currentTerms(client, recurringUniqueID, r.currency);
        return client.recurringUpdate(withPlanChanges(current, changes));
      };
    },
  },
  'rpp-cancel': {
    summary: 'cancel a recurring plan (RPP inquiry, then C with its terms)',
    flags: ['id'],
    build(r) {
      const recurringUniqueID = r.requireString('id');
      return async (client) => client.recurringCancel(await currentTerms(client, recurringUniqueID, r.currency));
    },
  },
};

/** The plan as 2C2P holds it: U and C send every element, and the command knows no state of its own. */
async function currentTerms(client: GatewayClient, recurringUniqueID: string, currency: string) {
  return planTermsFromInquiry(recurringUniqueID, await client.recurringInquiry({ recurringUniqueID }), currency);
}

function recurringStatusFlag(value: string | undefined): 'Y' | 'N' | undefined {
  if (value === undefined || value === 'Y' || value === 'N') return value;
  throw new UsageError('--recurring-status must be Y or N');
}
