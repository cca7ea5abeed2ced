// Answers RecurringMaintenanceRequest I/U/C (RPP inquiry, update, cancel) against a merchant's plans.
import { currencyInfo, formatRppAmount } from '../../domain/money.js';
import { formatDdMM, formatDdMMyyHHmmss, formatYyyyMMdd } from '../../domain/wire-dates.js';
import { maskedCardNo } from '../cards.js';
import { ACTION_CODES, type ActionCode } from '../codes.js';
import type { SandboxContext } from '../context.js';
import type { MerchantState, PlanRecord } from '../model.js';
import { endPlan } from '../recurring-charge.js';
import { applyRecurringUpdate, type RecurringUpdateFields } from './recurring-update.js';

/** The decoded request fields the sandbox reads (wire strings). */
export interface RecurringRequestFields extends RecurringUpdateFields {
  version?: string;
  timeStamp?: string;
  merchantID?: string;
  recurringUniqueID?: string;
  processType?: string;
}

/** A RecurringMaintenanceResponse as plain wire strings. */
export type RecurringAnswer = Record<string, string>;

const nonEmpty = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

function inquiryFields(plan: PlanRecord): Record<string, string> {
  return {
    recurringStatus: plan.state === 'active' ? 'Y' : 'N',
    invoicePrefix: plan.invoicePrefix,
    currency: currencyInfo(plan.amount.currency).numeric,
    amount: formatRppAmount(plan.amount),
    maskedCardNo: maskedCardNo(plan.card),
    allowAccumulate: plan.allowAccumulate ? 'Y' : 'N',
    maxAccumulateAmount: formatRppAmount(plan.maxAccumulate),
    recurringInterval: plan.intervalDays === undefined ? '' : String(plan.intervalDays),
    recurringCount: String(plan.count),
    currentCount: String(plan.currentCount),
    // Requests carry ddMMyyyy; the official inquiry response sample shows yyyyMMdd.
    chargeNextDate: plan.state === 'active' ? formatYyyyMMdd(plan.chargeNextDate) : '',
    chargeOnDate: plan.chargeOnDate ? formatDdMM(plan.chargeOnDate.day, plan.chargeOnDate.month) : '',
  };
}

/**
 * The plan elements a U or C must fill: the ones 2C2P's own successful U and C samples fill (SEED-002; their
 * ciphertexts are as long as the 13-element template with the other elements empty, protocol summary §2.5).
 * U must also give a schedule: recurringInterval or chargeOnDate.
 */
const REQUIRED: Readonly<Record<'U' | 'C', readonly (keyof RecurringUpdateFields)[]>> = {
  U: ['recurringStatus', 'amount', 'allowAccumulate', 'recurringCount'],
  C: ['recurringStatus', 'amount', 'allowAccumulate'],
};

/**
 * Refuses a U or C with an empty required element as 2C2P's validation would: 10, "Missing Compulsory
 * Values" (developer.2c2p.com/docs/reference-codes-payment-action-result-code), rather than reading the
 * empty element as "unchanged" or "clear". A C whose filled elements are malformed gets 11.
 */
function refusal(processType: 'U' | 'C', req: RecurringRequestFields): ActionCode | undefined {
  if (REQUIRED[processType].some((name) => !nonEmpty(req[name]))) return '10';
  if (processType === 'U') return nonEmpty(req.recurringInterval) || nonEmpty(req.chargeOnDate) ? undefined : '10';
  const yesNo = (v: string | undefined) => v === 'Y' || v === 'N';
  if (!yesNo(req.recurringStatus) || !yesNo(req.allowAccumulate) || !/^\d{12}$/.test(req.amount ?? '')) return '11';
  return undefined;
}

/** Handles one verified RecurringMaintenanceRequest (codes: 10 missing, 17 type, 16 unknown plan, 11 invalid, 12 ended plan). */
export function maintainRecurring(ctx: SandboxContext, m: MerchantState, req: RecurringRequestFields): RecurringAnswer {
  const now = ctx.clock.now();
  const head = {
    version: req.version ?? '',
    timeStamp: nonEmpty(req.timeStamp) ? req.timeStamp : formatDdMMyyHHmmss(now),
  };
  const answer = (code: ActionCode, reason: string = ACTION_CODES[code]): RecurringAnswer => ({
    ...head,
    respCode: code,
    respReason: reason,
    recurringUniqueID: req.recurringUniqueID ?? '',
  });
  if (!nonEmpty(req.version) || !nonEmpty(req.recurringUniqueID) || !nonEmpty(req.processType)) return answer('10');
  if (!['I', 'U', 'C'].includes(req.processType)) return answer('17');
  const refused = req.processType === 'I' ? undefined : refusal(req.processType as 'U' | 'C', req);
  if (refused) return answer(refused);
  const plan = m.plans.get(req.recurringUniqueID);
  if (!plan) return answer('16');
  switch (req.processType) {
    case 'I':
      return {
        ...head,
        merchantID: m.merchant.merchantId,
        recurringUniqueID: plan.recurringUniqueID,
        respCode: '00',
        respReason: 'Inquiry Successful',
        ...inquiryFields(plan),
      };
    case 'U':
      if (plan.state !== 'active' && plan.state !== 'paused') return answer('12');
      if (!applyRecurringUpdate(plan, req, now)) return answer('11');
      return answer('00', 'Update Successful');
    default:
      // Cancelling is idempotent: a plan that already ended stays as it is and the answer is the same.
      if (plan.state === 'active' || plan.state === 'paused') endPlan(plan, 'cancelled', now);
      return answer('00', 'Cancel Successful');
  }
}
