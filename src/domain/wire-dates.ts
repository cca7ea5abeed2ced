// The date formats 2C2P puts on the wire: ddMMyyyy, ddMMyyHHmmss, yyyyMMddHHmmss, yyyyMMdd, ddMM and the
// paymentExpiry's yyyy-MM-dd HH:mm:ss. Dates without a time are calendar dates (UTC midnight) and stay in UTC;
// a date-time 2C2P reads as its local time is written in the zone given (see time-zone.ts).
import { instantOf, wallClockAt } from './time-zone.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function parts(d: Date, timeZone = 'UTC') {
  if (Number.isNaN(d.getTime())) throw new RangeError('invalid date');
  if (timeZone !== 'UTC') {
    const w = wallClockAt(d, timeZone);
    return { y: w.year, M: w.month, d: w.day, H: w.hour, m: w.minute, s: w.second };
  }
  return {
    y: d.getUTCFullYear(),
    M: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    H: d.getUTCHours(),
    m: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
  };
}

function build(y: number, M: number, d: number, H = 0, m = 0, s = 0, text = ''): Date {
  const date = new Date(Date.UTC(y, M - 1, d, H, m, s));
  const ok =
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === M - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === H &&
    date.getUTCMinutes() === m &&
    date.getUTCSeconds() === s;
  if (!ok) throw new RangeError(`${JSON.stringify(text)} is not a real date`);
  return date;
}

function digits(text: string, length: number): number[] {
  if (typeof text !== 'string' || !new RegExp(`^\\d{${length}}$`).test(text)) {
    throw new RangeError(`expected ${length} digits, got ${JSON.stringify(text)}`);
  }
  return [...text].map(Number);
}

const num = (ds: number[], from: number, len: number) => Number(ds.slice(from, from + len).join(''));

/** ddMMyyyy, e.g. chargeNextDate '03062020'. */
export function formatDdMMyyyy(date: Date): string {
  const p = parts(date);
  return `${pad(p.d)}${pad(p.M)}${pad(p.y, 4)}`;
}

export function parseDdMMyyyy(text: string): Date {
  const ds = digits(text, 8);
  return build(num(ds, 4, 4), num(ds, 2, 2), num(ds, 0, 2), 0, 0, 0, text);
}

/** ddMMyyHHmmss, the PaymentAction and RPP timeStamp, as a clock in `timeZone` (default UTC) shows it. */
export function formatDdMMyyHHmmss(date: Date, timeZone = 'UTC'): string {
  const p = parts(date, timeZone);
  return `${pad(p.d)}${pad(p.M)}${pad(p.y % 100)}${pad(p.H)}${pad(p.m)}${pad(p.s)}`;
}

export function parseDdMMyyHHmmss(text: string): Date {
  const ds = digits(text, 12);
  return build(2000 + num(ds, 4, 2), num(ds, 2, 2), num(ds, 0, 2), num(ds, 6, 2), num(ds, 8, 2), num(ds, 10, 2), text);
}

/** yyyyMMddHHmmss, transactionDateTime. */
export function formatYyyyMMddHHmmss(date: Date): string {
  const p = parts(date);
  return `${pad(p.y, 4)}${pad(p.M)}${pad(p.d)}${pad(p.H)}${pad(p.m)}${pad(p.s)}`;
}

export function parseYyyyMMddHHmmss(text: string): Date {
  const ds = digits(text, 14);
  return build(num(ds, 0, 4), num(ds, 4, 2), num(ds, 6, 2), num(ds, 8, 2), num(ds, 10, 2), num(ds, 12, 2), text);
}

/** A transactionDateTime as an instant (epoch ms); undefined when absent or unreadable, as 2C2P may omit it. */
export function transactionInstantMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  try {
    return parseYyyyMMddHHmmss(value).getTime();
  } catch {
    return undefined;
  }
}

/** yyyyMMdd, the RPP inquiry's chargeNextDate and customerTokenExpiry. */
export function formatYyyyMMdd(date: Date): string {
  const p = parts(date);
  return `${pad(p.y, 4)}${pad(p.M)}${pad(p.d)}`;
}

export function parseYyyyMMdd(text: string): Date {
  const ds = digits(text, 8);
  return build(num(ds, 0, 4), num(ds, 4, 2), num(ds, 6, 2), 0, 0, 0, text);
}

/** ddMM, the RPP chargeOnDate. */
export function formatDdMM(day: number, month: number): string {
  if (!Number.isInteger(day) || day < 1 || day > 31) throw new RangeError('day must be 1..31');
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError('month must be 1..12');
  return `${pad(day)}${pad(month)}`;
}

const PAYMENT_EXPIRY = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** yyyy-MM-dd HH:mm:ss, the Payment Token paymentExpiry, as a clock in `timeZone` shows `date`. */
export function formatPaymentExpiry(date: Date, timeZone: string): string {
  const p = parts(date, timeZone);
  return `${pad(p.y, 4)}-${pad(p.M)}-${pad(p.d)} ${pad(p.H)}:${pad(p.m)}:${pad(p.s)}`;
}

/** Reads a paymentExpiry as the wall clock of `timeZone`; RangeError when malformed, impossible or skipped by the zone. */
export function parsePaymentExpiry(text: string, timeZone: string): Date {
  const match = typeof text === 'string' ? PAYMENT_EXPIRY.exec(text) : null;
  if (!match) throw new RangeError(`expected yyyy-MM-dd HH:mm:ss, got ${JSON.stringify(text)}`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const instant = instantOf({ year, month, day, hour, minute, second }, timeZone);
  if (!instant) throw new RangeError(`${JSON.stringify(text)} is not a time that exists in ${timeZone}`);
  return instant;
}
