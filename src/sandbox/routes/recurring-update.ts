// Validates and applies a RecurringMaintenanceRequest U (update) to a plan; 11 on any invalid field.
import { parseRppAmount } from '../../domain/money.js';
import { parseDdMMyyyy } from '../../domain/wire-dates.js';
import type { DayOfMonth, PlanRecord } from '../model.js';
import { catchUpChargeDate, isValidDayOfMonth, startOfUtcDay } from '../schedule-dates.js';

/**
 * The update fields as wire strings. maintainRecurring refuses a U whose required elements are empty (10);
 * an empty optional one (maxAccumulateAmount, chargeNextDate, the schedule not in use) means "leave unchanged".
 */
export interface RecurringUpdateFields {
  recurringStatus?: string;
  amount?: string;
  allowAccumulate?: string;
  maxAccumulateAmount?: string;
  recurringInterval?: string;
  recurringCount?: string;
  chargeNextDate?: string;
  chargeOnDate?: string;
}

const given = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

function parseCount(text: string, pattern: RegExp): number | undefined {
  return pattern.test(text) ? Number(text) : undefined;
}

/** Parses a `ddMM` chargeOnDate, or undefined when it is not a possible day. */
export function parseChargeOnDate(text: string): DayOfMonth | undefined {
  if (!/^\d{4}$/.test(text)) return undefined;
  const value = { day: Number(text.slice(0, 2)), month: Number(text.slice(2, 4)) };
  return isValidDayOfMonth(value) ? value : undefined;
}

/**
 * Applies an update to an active or paused plan, all or nothing. Returns false (code 11) when a field
 * is malformed: status not Y/N, amounts not 12 digits, interval outside 1..365, both interval and
 * chargeOnDate, a count below the charges already made, a chargeNextDate not after today.
 */
export function applyRecurringUpdate(plan: PlanRecord, f: RecurringUpdateFields, now: Date): boolean {
  const currency = plan.amount.currency;
  const next: Partial<PlanRecord> = {};
  try {
    if (given(f.recurringStatus)) {
      if (f.recurringStatus !== 'Y' && f.recurringStatus !== 'N') return false;
      next.state = f.recurringStatus === 'Y' ? 'active' : 'paused';
    }
    if (given(f.amount)) {
      if (!/^\d{12}$/.test(f.amount)) return false;
      next.amount = parseRppAmount(f.amount, currency);
      if (next.amount.minor === 0) return false;
    }
    if (given(f.allowAccumulate)) {
      if (f.allowAccumulate !== 'Y' && f.allowAccumulate !== 'N') return false;
      next.allowAccumulate = f.allowAccumulate === 'Y';
    }
    if (given(f.maxAccumulateAmount)) {
      if (!/^\d{12}$/.test(f.maxAccumulateAmount)) return false;
      next.maxAccumulate = parseRppAmount(f.maxAccumulateAmount, currency);
    }
    if (given(f.recurringInterval) && given(f.chargeOnDate)) return false;
    if (given(f.recurringInterval)) {
      const days = parseCount(f.recurringInterval, /^\d{1,5}$/);
      if (days === undefined || days < 1 || days > 365) return false;
      Object.assign(next, { intervalDays: days, chargeOnDate: undefined });
    }
    if (given(f.chargeOnDate)) {
      const day = parseChargeOnDate(f.chargeOnDate);
      if (!day) return false;
      Object.assign(next, { chargeOnDate: day, intervalDays: undefined });
    }
    if (given(f.recurringCount)) {
      const count = parseCount(f.recurringCount, /^\d{1,5}$/);
      if (count === undefined || (count !== 0 && count < plan.currentCount)) return false;
      next.count = count;
    }
    if (given(f.chargeNextDate)) {
      if (!/^\d{8}$/.test(f.chargeNextDate)) return false;
      const date = parseDdMMyyyy(f.chargeNextDate);
      if (date.getTime() <= startOfUtcDay(now).getTime()) return false;
      next.chargeNextDate = date;
    }
  } catch {
    return false;
  }
  Object.assign(plan, next);
  if (plan.intervalDays === undefined) delete plan.intervalDays;
  if (plan.chargeOnDate === undefined) delete plan.chargeOnDate;
  if (plan.count !== 0 && plan.currentCount >= plan.count) {
    plan.state = 'completed';
  } else if (plan.state === 'active' && plan.chargeNextDate.getTime() < startOfUtcDay(now).getTime()) {
    // A plan resumed after a pause charges from today on, not every cycle it missed.
    plan.chargeNextDate = catchUpChargeDate(plan.chargeNextDate, now, plan);
  }
  plan.history.push({ status: plan.state === 'completed' ? 'completed' : 'updated', at: now });
  return true;
}
