// When each recurring charge falls due and which period it pays for, across plan changes: every change of
// interval starts a new anchor at the next charge, and older anchors stay for the charges made under them.
import { chargeDate, type BillingInterval } from '../domain/billing-schedule.js';
import type { CalendarDate } from '../domain/calendar-date.js';
import type { Plan } from './definitions.js';

/** Charges from `sequence` on fall due from `date` at `interval`. */
export interface ScheduleAnchor {
  sequence: number;
  date: CalendarDate;
  interval: BillingInterval;
}

export interface Schedule {
  /** Oldest first; never empty. */
  anchors: ScheduleAnchor[];
  nextSequence: number;
  plan: Plan;
}

/** The anchor charge `sequence` falls under: the newest that starts at or before it. */
function anchorOf(schedule: Schedule, sequence: number): ScheduleAnchor {
  let found = schedule.anchors[0]!;
  for (const anchor of schedule.anchors) if (anchor.sequence <= sequence) found = anchor;
  return found;
}

/** Due date of recurring charge `sequence` (never throws: a sequence before the first anchor takes the first). */
export function dueDate(schedule: Schedule, sequence: number): CalendarDate {
  const anchor = anchorOf(schedule, sequence);
  return chargeDate(anchor.date, anchor.interval, Math.max(1, sequence - anchor.sequence + 1));
}

/** The period [start, end) recurring charge `sequence` pays for. */
export function periodOf(schedule: Schedule, sequence: number): { start: CalendarDate; end: CalendarDate } {
  return { start: dueDate(schedule, sequence), end: dueDate(schedule, sequence + 1) };
}

/** Whether every charge of a counted plan has been handled. */
export function planExhausted(schedule: Schedule): boolean {
  return schedule.plan.recurringCount > 0 && schedule.nextSequence > schedule.plan.recurringCount;
}

/** Starts charging at `interval` from charge `sequence` on `date`; anchors no charge still needs are dropped. */
export function reanchor(schedule: Schedule, anchor: ScheduleAnchor, oldestNeeded: number): void {
  const kept = schedule.anchors.filter((a) => a.sequence < anchor.sequence);
  const firstNeeded = kept.findLastIndex((a) => a.sequence <= oldestNeeded);
  schedule.anchors = [...kept.slice(Math.max(0, firstNeeded)), anchor];
}
