// When each process fault happens: every worker SIGKILLed at least three times (or once in a short run),
// the API killed and started again once, PostgreSQL stopped and started once while charges fall due.
import type { ChaosEngine } from './engine.js';
import { below, shuffled } from './seeded.js';

export type ProcessFaultKind = 'workerKill' | 'apiRestart' | 'postgresRestart';

export interface ProcessFault {
  readonly kind: ProcessFaultKind;
  /** Which worker (workerKill). */
  readonly worker?: number;
  /** The cycle during whose due-date advance it happens. */
  readonly cycle: number;
  /** Milliseconds after that advance starts. */
  readonly afterMs: number;
}

/** The run's process faults, fixed by the seed. */
export function planProcessFaults(
  seed: number,
  cycles: number,
  workers: number,
  killsPerWorker: number,
): ProcessFault[] {
  const faults: ProcessFault[] = [];
  const cycleNumbers = Array.from({ length: cycles }, (_, i) => i + 1);
  for (let worker = 0; worker < workers; worker += 1) {
    for (let kill = 0; kill < killsPerWorker; kill += 1) {
      const cycle = shuffled(seed, cycleNumbers, `worker-${worker}`)[kill % cycles] as number;
      faults.push({ kind: 'workerKill', worker, cycle, afterMs: 500 + below(seed, 4000, 'kill', worker, kill) });
    }
  }
  // Not in the first cycle: the subscriptions must be live for the fault to hit charges in flight.
  const later = cycleNumbers.length > 1 ? cycleNumbers.slice(1) : cycleNumbers;
  faults.push({ kind: 'apiRestart', cycle: later[below(seed, later.length, 'api')] as number, afterMs: 200 });
  faults.push({
    kind: 'postgresRestart',
    cycle: later[below(seed, later.length, 'postgres')] as number,
    afterMs: 300 + below(seed, 1500, 'postgres-at'),
  });
  return faults;
}

/** Applies one fault and resolves when the part is back. */
export async function applyProcessFault(engine: ChaosEngine, fault: ProcessFault, log: (line: string) => void) {
  switch (fault.kind) {
    case 'workerKill': {
      const worker = engine.workers[fault.worker ?? 0];
      if (!worker) return;
      log(`cycle ${fault.cycle}: SIGKILL ${worker.spec.name}`);
      await worker.kill();
      return;
    }
    case 'apiRestart':
      log(`cycle ${fault.cycle}: SIGKILL the API and start it again`);
      await engine.api.kill();
      return;
    case 'postgresRestart':
      log(`cycle ${fault.cycle}: stop PostgreSQL for 15 s while charges are due`);
      await engine.postgres.stop('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      await engine.postgres.start();
      return;
  }
}
