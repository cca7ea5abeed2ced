// The test clock of a sandbox deployment: the 2C2P sandbox's clock, moved through its control API, and
// the offset every subscription workflow is told about. With real 2C2P there is no test clock at all.
import type pg from 'pg';
import { ADVISORY_LOCKS, withAdvisoryLock } from '../db/index.js';
import { fetchWithoutTimeLimit } from './long-request.js';

/** What the API needs of a test clock. */
export interface TestClock {
  now(): Promise<Date>;
  /** Moves the sandbox's clock to `to`: due charges, settlements and expiries happen before it answers. */
  advanceTo(to: Date): Promise<Date>;
}

/**
 * The test clock of the sandbox at `baseUrl` (its /_sandbox control API). An advance answers once its
 * charges and notifications are done, which at volume takes minutes: the default fetch has no time limit.
 * @example const clock = sandboxTestClock('http://127.0.0.1:3100'); await clock.advanceTo(new Date('2027-01-01'));
 */
export function sandboxTestClock(baseUrl: string, fetchFn: typeof fetch = fetchWithoutTimeLimit): TestClock {
  const base = baseUrl.replace(/\/+$/, '');
  const read = async (response: Response): Promise<Date> => {
    const body = (await response.json().catch(() => ({}))) as { now?: string; detail?: string };
    if (!response.ok || typeof body.now !== 'string') {
      throw new Error(`the sandbox clock answered ${response.status}${body.detail ? `: ${body.detail}` : ''}`);
    }
    return new Date(body.now);
  };
  return {
    now: async () => read(await fetchFn(`${base}/_sandbox/clock`)),
    advanceTo: async (to) =>
      read(
        await fetchFn(`${base}/_sandbox/clock/advance`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to: to.toISOString() }),
        }),
      ),
  };
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration written `30d`, `12h` or `90m`; RangeError for anything else. */
export function parseClockDuration(text: string): number {
  const match = /^(\d{1,5})([mhd])$/.exec(text.trim());
  if (!match) throw new RangeError('must be a whole number of minutes, hours or days, such as 30d, 12h or 90m');
  return Number(match[1]) * UNITS[match[2]!]!;
}

/**
 * Runs a subscription start holding the test-clock lock shared, so no advance falls between reading the
 * clock and the workflow's first row (advance-test-clock.ts takes the lock exclusively). Without a test
 * clock it just runs.
 */
export async function startingOnTestClock<T>(
  deps: { pool: pg.Pool; testClock?: TestClock },
  start: () => Promise<T>,
): Promise<T> {
  return deps.testClock ? withAdvisoryLock(deps.pool, ADVISORY_LOCKS.testClock, 'shared', start) : start();
}
