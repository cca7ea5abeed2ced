// A recurring plan's current terms as RPP update (U) and cancel (C) carry them, read from an RPP inquiry
// (I) answer when the caller does not hold them, and written as the wire elements of those messages.
import { toEpochMs } from '../domain/calendar-date.js';
import { currencyInfo, formatRppAmount, parseRppAmount, type Money } from '../domain/money.js';
import { formatDdMM, formatDdMMyyyy } from '../domain/wire-dates.js';
import { checkDate, checkDayOfMonth, checkInteger, checkMoney, checkRecurringId } from './client-input.js';
import { readChargeNextDate } from './codecs/recurring-maintenance.js';
import { GatewayProtocolError } from './errors.js';
import type { RecurringMaintenanceRequest, RecurringMaintenanceResponse } from './types.js';

/** A day of the month (and the month of the first such charge) for chargeOnDate `ddMM`. */
export interface DayOfMonth {
  day: number;
  month: number;
}

/**
 * Everything 2C2P holds about a plan that U and C send. Both messages carry the whole current plan, as the
 * official samples do: 2C2P may refuse an empty element, or read it as "clear".
 */
export interface RecurringPlanTerms {
  recurringUniqueID: string;
  /** Y active, N inactive; C sends the current status too (the official cancel sample sends Y). */
  recurringStatus: 'Y' | 'N';
  amount: Money;
  allowAccumulate: boolean;
  maxAccumulateAmount?: Money;
  /** Days between charges; exactly one of intervalDays and chargeOnDate (U needs one). */
  intervalDays?: number;
  chargeOnDate?: DayOfMonth;
  /** Recurring charges; 0 = until cancelled (U needs it). */
  count?: number;
  /** Next charge; absent only when 2C2P itself has none (a plan that has ended). */
  chargeNextDate?: Date;
}

/** What `recur 2c2p rpp-update` flags (or any caller) change on top of the current terms. */
export type RecurringPlanChanges = Partial<Omit<RecurringPlanTerms, 'recurringUniqueID'>>;

type PlanElements = Pick<
  RecurringMaintenanceRequest,
  | 'recurringStatus'
  | 'amount'
  | 'allowAccumulate'
  | 'maxAccumulateAmount'
  | 'recurringInterval'
  | 'recurringCount'
  | 'chargeNextDate'
  | 'chargeOnDate'
>;

/** The current terms with `changes` applied; a new interval replaces chargeOnDate and the other way round. */
export function withPlanChanges(current: RecurringPlanTerms, changes: RecurringPlanChanges): RecurringPlanTerms {
  const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as RecurringPlanChanges;
  const next: RecurringPlanTerms = { ...current, ...given };
  if (given.intervalDays !== undefined && given.chargeOnDate === undefined) delete next.chargeOnDate;
  if (given.chargeOnDate !== undefined && given.intervalDays === undefined) delete next.intervalDays;
  return next;
}

/**
 * The eight plan elements of a U or C, validated (TypeError/RangeError before any I/O). U needs the
 * count and exactly one of interval and chargeOnDate; C needs status, amount and allowAccumulate.
 */
export function recurringPlanElements(processType: 'U' | 'C', terms: RecurringPlanTerms): PlanElements {
  if (!terms || typeof terms !== 'object') throw new TypeError('the plan terms are required');
  checkRecurringId(terms.recurringUniqueID);
  if (terms.recurringStatus !== 'Y' && terms.recurringStatus !== 'N')
    throw new TypeError('recurringStatus must be Y or N');
  if (typeof terms.allowAccumulate !== 'boolean') throw new TypeError('allowAccumulate must be a boolean');
  const amount = checkMoney(terms.amount, 'amount');
  const max = terms.maxAccumulateAmount && checkMoney(terms.maxAccumulateAmount, 'maxAccumulateAmount');
  if (max && max.currency !== amount.currency)
    throw new RangeError(`maxAccumulateAmount must be in ${amount.currency}`);
  if (terms.intervalDays !== undefined && terms.chargeOnDate !== undefined)
    throw new RangeError('give intervalDays or chargeOnDate, not both');
  if (processType === 'U') {
    if (terms.count === undefined) throw new TypeError('an RPP update sends the whole plan: count is required');
    if (terms.intervalDays === undefined && terms.chargeOnDate === undefined)
      throw new TypeError('an RPP update sends the whole plan: intervalDays or chargeOnDate is required');
  }
  const onDate = terms.chargeOnDate && checkDayOfMonth(terms.chargeOnDate);
  return {
    recurringStatus: terms.recurringStatus,
    amount: formatRppAmount(amount),
    allowAccumulate: terms.allowAccumulate ? 'Y' : 'N',
    maxAccumulateAmount: max ? formatRppAmount(max) : '',
    recurringInterval:
      terms.intervalDays === undefined ? '' : String(checkInteger(terms.intervalDays, 'intervalDays', 1, 365)),
    recurringCount: terms.count === undefined ? '' : String(checkInteger(terms.count, 'count', 0, 99_999)),
    chargeNextDate: terms.chargeNextDate ? formatDdMMyyyy(checkDate(terms.chargeNextDate, 'chargeNextDate')) : '',
    chargeOnDate: onDate ? formatDdMM(onDate.day, onDate.month) : '',
  };
}

/**
 * The terms an RPP inquiry answer reports. The currency comes from the answer's numeric code, else
 * `fallbackCurrency`. A GatewayProtocolError when status, amount or allowAccumulate is unreadable, since
 * sending a U or C with invented values would be worse than not sending it.
 */
export function planTermsFromInquiry(
  recurringUniqueID: string,
  answer: RecurringMaintenanceResponse,
  fallbackCurrency?: string,
): RecurringPlanTerms {
  const unreadable = (field: string) =>
    new GatewayProtocolError({ operation: 'recurringInquiry', reason: `the RPP inquiry answer has no valid ${field}` });
  const text = (v: string | undefined) => (v ?? '').trim();
  let currency: string;
  try {
    currency = currencyInfo(text(answer.currency) || (fallbackCurrency ?? '')).alpha;
  } catch {
    throw unreadable('currency');
  }
  const status = text(answer.recurringStatus);
  if (status !== 'Y' && status !== 'N') throw unreadable('recurringStatus');
  const accumulate = text(answer.allowAccumulate);
  if (accumulate !== 'Y' && accumulate !== 'N') throw unreadable('allowAccumulate');
  const twelve = (v: string | undefined) =>
    /^\d{1,12}$/.test(text(v)) ? parseRppAmount(text(v), currency) : undefined;
  const amount = twelve(answer.amount);
  if (!amount) throw unreadable('amount');
  const whole = (v: string | undefined) => (/^\d{1,5}$/.test(text(v)) ? Number(text(v)) : undefined);
  const interval = whole(answer.recurringInterval);
  const onDate = /^\d{4}$/.test(text(answer.chargeOnDate))
    ? { day: Number(text(answer.chargeOnDate).slice(0, 2)), month: Number(text(answer.chargeOnDate).slice(2)) }
    : undefined;
  const max = twelve(answer.maxAccumulateAmount);
  const count = whole(answer.recurringCount);
  const next = text(answer.chargeNextDate)
    ? new Date(toEpochMs(readChargeNextDate(text(answer.chargeNextDate))))
    : undefined;
  return {
    recurringUniqueID,
    recurringStatus: status,
    amount,
    allowAccumulate: accumulate === 'Y',
    ...(max ? { maxAccumulateAmount: max } : {}),
    ...(interval ? { intervalDays: interval } : onDate ? { chargeOnDate: onDate } : {}),
    ...(count === undefined ? {} : { count }),
    ...(next ? { chargeNextDate: next } : {}),
  };
}
