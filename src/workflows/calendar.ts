// Calendar helpers over the workflow's clock (Date.now() is deterministic inside a workflow).
import { toCalendarDate, type CalendarDate } from '../domain/calendar-date.js';

/** The UTC calendar date of an instant. */
export function dayOf(epochMs: number): CalendarDate {
  return toCalendarDate(epochMs);
}

/** Today on the workflow's clock. */
export function today(): CalendarDate {
  return toCalendarDate(Date.now());
}
