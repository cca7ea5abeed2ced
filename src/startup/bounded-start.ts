// Starts one part of the engine within a bound: it is ready, or it fails with a StartupError that names
// the part, carries its output and says what to do, and whatever it had half started is stopped.
import { StartupError } from './startup-error.js';

/** How long a part may take to become ready, unless it says otherwise. */
export const START_TIMEOUT_MS = 60_000;

/** How long the clean-up of a part that failed to start may take before the error is reported anyway. */
const ABORT_TIMEOUT_MS = 15_000;

export interface BoundedStartOptions<T> {
  /** The part, as a reader names it: 'PostgreSQL', 'the Temporal dev server'. */
  part: string;
  /** What to do when it does not start; a function may look at the error and the output. */
  hint: string | ((error: unknown, stderr: string) => string);
  timeoutMs?: number;
  /** The tail of the part's own output, read when it fails. */
  stderr?: () => string;
  /** Aborting it stops the start as a timeout would (Ctrl-C, or another part failed). */
  signal?: AbortSignal;
  /** Stops what the start had half done (kill the child, close connections); runs on every failure. */
  abort?: () => unknown;
  /** Stops a part that became ready only after the wait had given up on it. */
  discard?: (value: T) => unknown;
}

/**
 * Runs `start` and resolves with what it returns, or rejects with a {@link StartupError} within
 * `timeoutMs` (60 s by default). The signal passed to `start` fires when the wait gives up, so a polling
 * loop can stop.
 *
 * @example
 * const server = await boundedStart(() => sandbox.listen(3100), { part: 'the 2C2P sandbox', hint: 'set SANDBOX_PORT', abort: () => sandbox.close() });
 */
export async function boundedStart<T>(
  start: (gaveUp: AbortSignal) => Promise<T>,
  options: BoundedStartOptions<T>,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? START_TIMEOUT_MS;
  const gaveUp = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(timeoutMs)), timeoutMs);
    onAbort = () => reject(new Aborted(options.signal?.reason));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const attempt = options.signal?.aborted ? deadline : Promise.resolve().then(() => start(gaveUp.signal));
  try {
    return await Promise.race([attempt, deadline]);
  } catch (error) {
    gaveUp.abort();
    // A start that lost the race may still finish; what it started then must not outlive us.
    attempt.then((late) => options.discard?.(late)).catch(() => {});
    await settleWithin(options.abort, ABORT_TIMEOUT_MS);
    throw toStartupError(error, options, timeoutMs);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

class TimedOut extends Error {
  constructor(readonly timeoutMs: number) {
    super(`it was not ready within ${duration(timeoutMs)}`);
  }
}

class Aborted extends Error {
  constructor(readonly reason: unknown) {
    super('it was stopped before it was ready');
  }
}

function toStartupError<T>(error: unknown, options: BoundedStartOptions<T>, timeoutMs: number): StartupError {
  if (error instanceof StartupError) return error;
  const stderr = options.stderr?.() ?? '';
  // An abort whose reason is a real failure (an uncaught 'error' event during start) is that failure.
  const cause = error instanceof Aborted && !isAbortError(error.reason) ? error.reason : error;
  if (cause instanceof StartupError) return cause;
  const hint = typeof options.hint === 'function' ? options.hint(cause, stderr) : options.hint;
  const base = { part: options.part, hint, stderr, cause };
  if (cause instanceof TimedOut) return new StartupError({ ...base, code: 'ERR_START_TIMEOUT', reason: cause.message });
  if (cause instanceof Aborted) return new StartupError({ ...base, code: 'ERR_START_ABORTED', reason: cause.message });
  return new StartupError({ ...base, code: 'ERR_START_FAILED', reason: reasonOf(cause, timeoutMs) });
}

function isAbortError(reason: unknown): boolean {
  return reason === undefined || (reason instanceof Error && reason.name === 'AbortError');
}

function reasonOf(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.message) return error.message.split('\n')[0]!.trim();
  if (error === undefined) return `it stopped before it was ready (within ${duration(timeoutMs)})`;
  return String(error);
}

function duration(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1_000)} s`;
}

async function settleWithin(fn: (() => unknown) | undefined, ms: number): Promise<void> {
  if (!fn) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.resolve()
      .then(fn)
      .catch(() => {}),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}
