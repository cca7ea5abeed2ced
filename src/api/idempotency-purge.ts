// Deletes Idempotency-Key records past their retention: once at start, then on a timer that never keeps the process up.
import type pg from 'pg';
import { purgeIdempotencyKeys } from '../db/index.js';

/** The logger calls the purge makes (pino's and Fastify's loggers have them). */
export interface PurgeLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface IdempotencyPurgeOptions {
  /** Time between purges. */
  everyMs: number;
  /** Age after which a record is deleted (Stripe keeps keys for 24 hours). */
  retentionMs: number;
  log: PurgeLog;
  /** The clock (tests move it); the machine's by default. */
  now?: () => Date;
}

/** A running purge schedule. */
export interface IdempotencyPurge {
  /** Stops the timer and waits for a purge under way, so the pool can be closed next. */
  stop(): Promise<void>;
}

/**
 * Purges Idempotency-Key records older than `retentionMs` now and every `everyMs`. A failed purge is logged and
 * the next one runs on schedule: nothing is thrown. A purge never overlaps the previous one.
 *
 * @example const purge = startIdempotencyPurge(pool, { everyMs: 3_600_000, retentionMs: 86_400_000, log });
 */
export function startIdempotencyPurge(pool: pg.Pool, options: IdempotencyPurgeOptions): IdempotencyPurge {
  const { everyMs, retentionMs, log } = options;
  for (const [name, value] of [
    ['everyMs', everyMs],
    ['retentionMs', retentionMs],
  ] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive whole number`);
  }
  const now = options.now ?? (() => new Date());
  let running: Promise<void> | undefined;
  const purge = () => {
    // A purge slower than the interval is not doubled up: the tick that finds one running skips.
    running ??= purgeIdempotencyKeys(pool, new Date(now().getTime() - retentionMs))
      .then((deleted) => {
        if (deleted > 0) log.info({ deleted }, 'purged expired Idempotency-Key records');
      })
      .catch((error: unknown) => log.error({ err: error }, 'could not purge Idempotency-Key records'))
      .finally(() => {
        running = undefined;
      });
  };
  purge();
  const timer = setInterval(purge, everyMs);
  // The purge is housekeeping: it must never be what keeps the API process alive.
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
