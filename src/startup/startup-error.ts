// The one error a part of the engine raises when it cannot start: which part, why, what to do, and the
// last lines the part itself printed.

/** Why a part did not start. */
export type StartupErrorCode =
  /** It was not ready within its bound. */
  | 'ERR_START_TIMEOUT'
  /** It failed (exited, refused, threw) before it was ready. */
  | 'ERR_START_FAILED'
  /** A check before starting found that it cannot work here (permissions, missing files). */
  | 'ERR_START_BLOCKED'
  /** It was stopped before it was ready (Ctrl-C, or another part failed). */
  | 'ERR_START_ABORTED';

/** Lines of the part's own output kept in the message: enough to see the error, never a wall of text. */
const OUTPUT_LINES = 8;
const OUTPUT_LINE_CHARS = 240;

/** A part that did not start, e.g. `PostgreSQL cannot start: … Fix: …`. */
export class StartupError extends Error {
  readonly code: StartupErrorCode;
  /** The part, as a reader names it: 'PostgreSQL', 'the Temporal dev server'. */
  readonly part: string;
  /** What went wrong, without the part's name. */
  readonly reason: string;
  /** What the reader can do about it. */
  readonly hint: string;
  /** The tail of the part's own output (stderr or log), when it has one. */
  readonly stderr: string | undefined;

  constructor(opts: {
    code: StartupErrorCode;
    part: string;
    reason: string;
    hint: string;
    stderr?: string;
    cause?: unknown;
  }) {
    const stderr = opts.stderr?.trim() || undefined;
    super(startupMessage(opts.part, opts.reason, opts.hint, stderr), { cause: opts.cause });
    this.name = 'StartupError';
    this.code = opts.code;
    this.part = opts.part;
    this.reason = opts.reason;
    this.hint = opts.hint;
    this.stderr = stderr;
  }
}

function startupMessage(part: string, reason: string, hint: string, stderr: string | undefined): string {
  const headline = `${part.charAt(0).toUpperCase()}${part.slice(1)} cannot start: ${sentence(reason)} Fix: ${sentence(hint)}`;
  if (!stderr) return headline;
  const lines = stderr
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(-OUTPUT_LINES)
    .map((line) => `  | ${line.length > OUTPUT_LINE_CHARS ? `${line.slice(0, OUTPUT_LINE_CHARS)}…` : line}`);
  return [headline, `  Its last output:`, ...lines].join('\n');
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
