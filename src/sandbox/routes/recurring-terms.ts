// Validates the recurring fields of a payment token request into plan terms (codes 9901–9909).
import { parseDdMMyyyy } from '../../domain/wire-dates.js';
import type { RecurringTerms } from '../model.js';
import { startOfUtcDay } from '../schedule-dates.js';
import { parsePgwAmount } from '../wire-amounts.js';
import { parseChargeOnDate } from './recurring-update.js';

/** Either the terms, or the PGW code (and field, for 9004/9009) to refuse the request with. */
export type TermsResult = { ok: true; terms: RecurringTerms } | { ok: false; code: string; field?: string };

const absent = (v: unknown) => v === undefined || v === null || v === '' || v === 0 || v === '0';

function integer(v: unknown, pattern = /^\d{1,5}$/): number | undefined {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  return pattern.test(text) ? Number(text) : undefined;
}

/**
 * Reads invoicePrefix (9901: 1–15 letters, digits, `-` or `_`), recurringAmount (9005/9009),
 * allowAccumulate (9902: boolean), maxAccumulateAmount (9903), exactly one of recurringInterval
 * 1..365 / chargeOnDate ddMM (9904 neither, 9906 both or a bad interval, 9908 bad ddMM),
 * recurringCount (9905: integer >= 0, 0 = unlimited) and chargeNextDate (9909 missing, 9907 not a
 * ddMMyyyy date after today).
 */
export function readRecurringTerms(c: Readonly<Record<string, unknown>>, currency: string, now: Date): TermsResult {
  const prefix = c['invoicePrefix'];
  if (typeof prefix !== 'string' || !/^[A-Za-z0-9_-]{1,15}$/.test(prefix)) return { ok: false, code: '9901' };
  if (absent(c['recurringAmount'])) return { ok: false, code: '9005' };
  let amount;
  try {
    amount = parsePgwAmount(c['recurringAmount'], currency);
  } catch {
    return { ok: false, code: '9009' };
  }
  if (typeof c['allowAccumulate'] !== 'boolean') return { ok: false, code: '9902' };
  let maxAccumulate;
  try {
    const max = c['maxAccumulateAmount'];
    if (max === undefined || max === null || max === '') return { ok: false, code: '9903' };
    maxAccumulate = parsePgwAmount(max, currency);
  } catch {
    return { ok: false, code: '9903' };
  }
  const hasInterval = !absent(c['recurringInterval']);
  const hasOnDate = !absent(c['chargeOnDate']);
  if (!hasInterval && !hasOnDate) return { ok: false, code: '9904' };
  if (hasInterval && hasOnDate) return { ok: false, code: '9906' };
  const intervalDays = hasInterval ? integer(c['recurringInterval']) : undefined;
  if (hasInterval && (intervalDays === undefined || intervalDays < 1 || intervalDays > 365)) {
    return { ok: false, code: '9906' };
  }
  const chargeOnDate =
    hasOnDate && typeof c['chargeOnDate'] === 'string' ? parseChargeOnDate(c['chargeOnDate']) : undefined;
  if (hasOnDate && !chargeOnDate) return { ok: false, code: '9908' };
  const count = integer(c['recurringCount']);
  if (count === undefined) return { ok: false, code: '9905' };
  const next = c['chargeNextDate'];
  if (next === undefined || next === null || next === '') return { ok: false, code: '9909' };
  let chargeNextDate: Date;
  try {
    if (typeof next !== 'string' || !/^\d{8}$/.test(next)) throw new RangeError('chargeNextDate');
    chargeNextDate = parseDdMMyyyy(next);
  } catch {
    return { ok: false, code: '9907' };
  }
  if (chargeNextDate.getTime() <= startOfUtcDay(now).getTime()) return { ok: false, code: '9907' };
  return {
    ok: true,
    terms: {
      invoicePrefix: prefix,
      amount,
      allowAccumulate: c['allowAccumulate'] as boolean,
      maxAccumulate,
      count,
      chargeNextDate,
      ...(intervalDays === undefined ? {} : { intervalDays }),
      ...(chargeOnDate === undefined ? {} : { chargeOnDate }),
    },
  };
}
