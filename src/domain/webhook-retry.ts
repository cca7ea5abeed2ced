// When a failed webhook delivery is tried again, and when it is given up.

/** The first retry waits this long; each next one twice as long as the one before. */
export const FIRST_RETRY_MS = 30_000;
/** No wait between attempts is longer. */
export const LONGEST_RETRY_MS = 6 * 3_600_000;
/** A delivery is given up when its next attempt would start later than this after its first. */
export const DELIVERY_WINDOW_MS = 3 * 86_400_000;

/** The wait after failed attempt `attempt` (1-based): 30 s, 1 min, 2 min, … up to 6 h. */
export function retryDelayMs(attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt must be an integer from 1');
  return Math.min(FIRST_RETRY_MS * 2 ** Math.min(attempt - 1, 30), LONGEST_RETRY_MS);
}

/** Whether another attempt, after the wait that follows `attempt`, still starts inside the delivery window. */
export function shouldRetry(attempt: number, elapsedMs: number): boolean {
  return elapsedMs + retryDelayMs(attempt) <= DELIVERY_WINDOW_MS;
}
