// Readiness: can the API reach Temporal and PostgreSQL right now (each within a short deadline)?
import type { Client } from '@temporalio/client';
import type pg from 'pg';

export type DependencyState = 'ok' | 'unavailable';

export interface Readiness {
  ready: boolean;
  checks: { temporal: DependencyState; postgres: DependencyState };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<DependencyState> {
  try {
    await withTimeout(check(), timeoutMs);
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

/** Asks Temporal for its system info and PostgreSQL for `select 1`, in parallel. */
export async function checkReadiness(temporal: Client, pool: pg.Pool, timeoutMs = 2_000): Promise<Readiness> {
  const [temporalState, postgres] = await Promise.all([
    probe(
      () => temporal.connection.withDeadline(Date.now() + timeoutMs, () => temporal.workflowService.getSystemInfo({})),
      timeoutMs + 500,
    ),
    probe(() => pool.query('select 1'), timeoutMs),
  ]);
  return { ready: temporalState === 'ok' && postgres === 'ok', checks: { temporal: temporalState, postgres } };
}
