// The subscription's clock: the workflow's own deterministic time plus the test clock's offset, which only
// a sandbox deployment ever moves (testClockSignal; with real 2C2P nothing sends it and the offset stays 0).
// Every wait is written against an instant on this clock, so moving the clock forward wakes the wait and
// it re-reads how long is left: a month of renewals, retries and settlements passes in seconds.
import { condition } from '@temporalio/workflow';
import { toCalendarDate, type CalendarDate } from '../domain/calendar-date.js';

/** Where the offset lives (the workflow state, carried across continue-as-new). */
export interface ClockState {
  /** How far the test clock is ahead of the workflow's own time, in ms (0 without a test clock). */
  clockOffsetMs?: number;
}

/** Now on the subscription's clock, epoch ms. */
export function now(clock: ClockState): number {
  return Date.now() + (clock.clockOffsetMs ?? 0);
}

/** Today (UTC calendar date) on the subscription's clock. */
export function today(clock: ClockState): CalendarDate {
  return toCalendarDate(now(clock));
}

/** Moves the clock forward to `nowMs` (never back: a late or repeated signal changes nothing). */
export function advanceClock(clock: ClockState, nowMs: number): void {
  const offset = nowMs - Date.now();
  if (Number.isSafeInteger(offset) && offset > (clock.clockOffsetMs ?? 0)) clock.clockOffsetMs = offset;
}

/** An instant as operators read it in a timer's summary (UTC, to the minute). */
export function instantLabel(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Waits until `predicate` holds (true) or the clock reaches `at` (false, unless the predicate holds by
 * then). A move of the test clock wakes the wait, which then waits only for what is left. `summary` is
 * the timer's line in the Temporal UI ("wait for charge 3 due 2027-03-01"); it is metadata only, so
 * changing its wording never breaks a replay.
 */
export async function waitUntil(
  clock: ClockState,
  predicate: () => boolean,
  at: number,
  summary: string,
): Promise<boolean> {
  for (;;) {
    if (predicate()) return true;
    const offset = clock.clockOffsetMs ?? 0;
    const remaining = at - (Date.now() + offset);
    if (remaining <= 0) return predicate();
    await condition(() => predicate() || (clock.clockOffsetMs ?? 0) !== offset, remaining, { summary });
  }
}

/** Waits `ms` on the subscription's clock; `summary` says what for (see waitUntil). */
export async function sleepFor(clock: ClockState, ms: number, summary: string): Promise<void> {
  const until = now(clock) + ms;
  await waitUntil(clock, () => false, until, `${summary} until ${instantLabel(until)}`);
}
