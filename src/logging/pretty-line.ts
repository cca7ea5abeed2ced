// The dev-mode rendering of pino's JSON records: one readable line per event (time, level, message, key=value).
import type { DestinationStream } from 'pino';

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const LEVEL_COLOURS: Record<number, string> = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '35' };
/** Fields a reader at a terminal already knows, or finds from workflowId in the Temporal UI (the run id). */
const HIDDEN = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'v', 'workflowRunId']);

export interface PrettyOptions {
  /** ANSI colours on the level (for a terminal). */
  colours?: boolean;
}

/** One pino record as `HH:MM:SS.mmm LEVEL message key=value …`; an error's stack follows only at error and above. */
export function prettyLine(record: Record<string, unknown>, options: PrettyOptions = {}): string {
  const level = typeof record.level === 'number' ? record.level : 30;
  const name = (LEVEL_NAMES[level] ?? String(record.level)).padEnd(5);
  const levelText = options.colours ? `\u001b[${LEVEL_COLOURS[level] ?? '0'}m${name}\u001b[0m` : name;
  const fields = Object.entries(record)
    .filter(([key, value]) => !HIDDEN.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${fieldText(value)}`);
  const line = [clockTime(record.time), levelText, String(record.msg ?? ''), ...fields].join(' ');
  const stack = level >= 50 ? stackOf(record.err ?? record.error) : undefined;
  return stack ? `${line}\n${stack}` : line;
}

/** A pino destination that writes each record as prettyLine to `write` (stdout by default). */
export function prettyStream(
  write: (text: string) => void = (text) => process.stdout.write(text),
  options: PrettyOptions = {},
): DestinationStream {
  return {
    write(chunk: string) {
      for (const json of chunk.split('\n')) {
        if (json.trim() === '') continue;
        write(`${renderJson(json, options)}\n`);
      }
    },
  };
}

function renderJson(json: string, options: PrettyOptions): string {
  try {
    return prettyLine(JSON.parse(json) as Record<string, unknown>, options);
  } catch {
    // Not a record (pino only writes records, but a line must never be lost to formatting).
    return json;
  }
}

function clockTime(time: unknown): string {
  const date = new Date(typeof time === 'number' || typeof time === 'string' ? time : Date.now());
  if (Number.isNaN(date.getTime())) return String(time);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A value as it reads after `key=`: bare when it is one word, quoted when it has spaces, JSON when nested. */
function fieldText(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    const error = value as { type?: unknown; message?: unknown };
    // pino's error serializer: the type and message say it; the stack is printed apart, if at all.
    if (typeof error.message === 'string' && typeof error.type === 'string')
      return quoted(`${error.type}: ${error.message}`);
    return JSON.stringify(value);
  }
  return quoted(String(value));
}

function quoted(text: string): string {
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

function stackOf(error: unknown): string | undefined {
  const stack = (error as { stack?: unknown } | undefined)?.stack;
  if (typeof stack !== 'string') return undefined;
  // The first line repeats the message already on the event's line.
  const frames = stack
    .split('\n')
    .slice(1)
    .map((frame) => `    ${frame.trim()}`);
  return frames.length > 0 ? frames.join('\n') : undefined;
}
