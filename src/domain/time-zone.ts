// Wall-clock time in an IANA time zone, with Intl alone: the zone in which 2C2P reads the local date-times it
// is sent (paymentExpiry, timeStamp) and in which its "today" falls.
import { calendarDate, type CalendarDate } from './calendar-date.js';

/**
 * The zone assumed for 2C2P's local date-times. No 2C2P document names one (paymentExpiry is only
 * "yyyy-MM-dd HH:mm:ss"); a public integrator builds it in Asia/Bangkok time (UTC+7, no daylight saving).
 */
export const DEFAULT_2C2P_TIME_ZONE = 'Asia/Bangkok';

/** A date and time as a clock on the wall of one zone shows it (month 1-12, hour 0-23). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The name, if Intl knows it as an IANA zone (`Asia/Bangkok`, `UTC`); RangeError otherwise (offsets such as `+07:00` too). */
export function checkTimeZone(name: unknown): string {
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) {
    throw new RangeError(`${JSON.stringify(name)} is not an IANA time zone name such as Asia/Bangkok`);
  }
  try {
    formatterFor(name);
  } catch {
    throw new RangeError(`${JSON.stringify(name)} is not a time zone this runtime knows (e.g. Asia/Bangkok, UTC)`);
  }
  return name;
}

/** What a clock in `timeZone` shows at the instant `date`. */
export function wallClockAt(date: Date, timeZone: string): WallClock {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute, second } = parts;
  return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! };
}

const sameWallClock = (a: WallClock, b: WallClock) =>
  a.year === b.year &&
  a.month === b.month &&
  a.day === b.day &&
  a.hour === b.hour &&
  a.minute === b.minute &&
  a.second === b.second;
const asUtcMs = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
const offsetMsAt = (epochMs: number, timeZone: string) => asUtcMs(wallClockAt(new Date(epochMs), timeZone)) - epochMs;

/**
 * The instant at which a clock in `timeZone` shows `wall`: undefined when it never does (an impossible date such
 * as 30 February, or the hour a change to daylight saving skips); of the two instants of the hour a change back
 * repeats, the earlier.
 */
export function instantOf(wall: WallClock, timeZone: string): Date | undefined {
  const local = asUtcMs(wall);
  if (Number.isNaN(local) || !sameWallClock(wallClockAt(new Date(local), 'UTC'), wall)) return undefined;
  // A zone's offset a day either side bounds the offsets that can apply at `local`.
  const candidates = [offsetMsAt(local - 86_400_000, timeZone), offsetMsAt(local + 86_400_000, timeZone)]
    .map((offset) => local - offset)
    .filter((epochMs) => asUtcMs(wallClockAt(new Date(epochMs), timeZone)) === local);
  return candidates.length === 0 ? undefined : new Date(Math.min(...candidates));
}

/** The calendar date a clock in `timeZone` shows at `date` (in Bangkok, 2026-01-14T18:00Z is already 2026-01-15). */
export function calendarDateIn(date: Date, timeZone: string): CalendarDate {
  const { year, month, day } = wallClockAt(date, timeZone);
  return calendarDate(year, month, day);
}
