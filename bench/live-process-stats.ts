// Memory and CPU time of the engine's processes, read from Linux's /proc (the benchmark runs each part as its
// own process so that these belong to one part alone), and how busy the whole machine was meanwhile.
import { readdirSync, readFileSync } from 'node:fs';
import type { EngineChild } from '../scripts/chaos/child-process.js';
import type { ChaosEngine } from '../scripts/chaos/engine.js';

/** Resident memory of a process, in MB (VmRSS now, VmHWM the peak since it started). */
export interface ProcessMemory {
  rssMb: number;
  peakRssMb: number;
}

/** Clock ticks per second of /proc's times: 100 on every Linux build Node supports. */
const TICKS_PER_SECOND = 100;
const PARTS = ['worker', 'api', 'sandbox', 'temporal', 'postgres', 'machineBusy'] as const;

/** CPU seconds so far per part; machineBusy is every CPU's non-idle time (other work on the box included). */
export type EngineCpu = Record<(typeof PARTS)[number], number>;

function kilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match) throw new Error(`/proc status has no ${field} line (is this Linux?)`);
  return Number(match[1]);
}

/** VmRSS and VmHWM of `pid`. */
export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;
  return { rssMb: mb(kilobytes(status, 'VmRSS')), peakRssMb: mb(kilobytes(status, 'VmHWM')) };
}

/** The fields of /proc/<pid>/stat after the command name, or undefined once the process has gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: split after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds of `pid` (its threads included) and of its children that have exited (PostgreSQL's backends). */
function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  if (!f) return 0;
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS_PER_SECOND;
}

/** CPU seconds of every process whose command line contains `text`, with their live children. */
function treeCpuSeconds(text: string): number {
  const all = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  const roots = new Set(
    all.filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    }),
  );
  const children = all.filter((pid) => !roots.has(pid) && roots.has(statFields(Number(pid))?.[1] ?? ''));
  return [...roots, ...children].reduce((sum, pid) => sum + cpuSeconds(Number(pid)), 0);
}

/** Non-idle CPU seconds of the whole machine since boot (/proc/stat's first line, idle and iowait left out). */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/** The pid of a part that must be running to be measured. */
export function pidOf(part: EngineChild): number {
  if (part.pid === undefined) throw new Error(`${part.spec.name} is not running: nothing to measure`);
  return part.pid;
}

/** CPU seconds so far of each part of `engine` started in `dir` (its first worker), and of the machine. */
export function engineCpu(engine: ChaosEngine, dir: string): EngineCpu {
  const worker = engine.workers[0];
  if (!worker) throw new TypeError('the engine has no worker');
  return {
    worker: cpuSeconds(pidOf(worker)),
    api: cpuSeconds(pidOf(engine.api)),
    sandbox: cpuSeconds(pidOf(engine.sandbox)),
    // Neither is an EngineChild: the dev server and the postmaster are found by the data folder they name.
    temporal: treeCpuSeconds(`${dir}/temporal/`),
    postgres: treeCpuSeconds(`${dir}/postgres`),
    machineBusy: machineBusySeconds(),
  };
}

/** CPU seconds each part used between two readings, to a tenth. */
export function cpuBetween(before: EngineCpu, after: EngineCpu): EngineCpu {
  const used = (part: keyof EngineCpu) => Math.round((after[part] - before[part]) * 10) / 10;
  return Object.fromEntries(PARTS.map((part) => [part, used(part)])) as EngineCpu;
}
