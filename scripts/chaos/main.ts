// `npm run chaos -- [--subscriptions N] [--cycles N] [--seed N] [--dir DIR] [--out FILE]`: the whole engine,
// one process per part, drives N subscriptions through a year of gateway, notification, client and process
// faults on the test clock, then checks that nothing was lost or moved twice. Exit 1 when an invariant broke.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runChaos, type ChaosOptions } from './run-chaos.js';

const USAGE = `usage: npm run chaos -- [--subscriptions N] [--cycles N] [--seed N] [--workers N] [--kills-per-worker N]
  [--concurrency N] [--dir DIR] [--out FILE] [--keep] [--no-gateway-chaos]`;

const { values } = parseFlags();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        subscriptions: { type: 'string', default: '1000' },
        cycles: { type: 'string', default: '12' },
        seed: { type: 'string', default: '1' },
        workers: { type: 'string', default: '2' },
        'kills-per-worker': { type: 'string', default: '3' },
        concurrency: { type: 'string', default: '8' },
        dir: { type: 'string' },
        out: { type: 'string', default: 'chaos/results.json' },
        keep: { type: 'boolean', default: false },
        'no-gateway-chaos': { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (error) {
    console.error(`chaos: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

function whole(name: keyof typeof values, min: number, max: number): number {
  const text = String(values[name]);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    console.error(`chaos: --${name} must be a whole number from ${min} to ${max}, got ${text}`);
    process.exit(2);
  }
  return value;
}

const options: ChaosOptions = {
  seed: whole('seed', 0, 2 ** 31),
  subscriptions: whole('subscriptions', 1, 100_000),
  cycles: whole('cycles', 1, 60),
  workers: whole('workers', 1, 8),
  killsPerWorker: whole('kills-per-worker', 0, 20),
  concurrency: whole('concurrency', 1, 64),
  gatewayChaos: !values['no-gateway-chaos'],
  log: (line) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`),
};
const dir = values.dir ? resolve(values.dir) : mkdtempSync(join(tmpdir(), 'recur-chaos-'));
mkdirSync(dir, { recursive: true });
const results = await runChaos(dir, options);
const out = resolve(values.out as string);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(results.table);
console.log(`results: ${out}${values.keep || !results.passed ? `; logs and data: ${dir}` : ''}`);
if (!values.keep && results.passed) rmSync(dir, { recursive: true, force: true });
process.exit(results.passed ? 0 : 1);
