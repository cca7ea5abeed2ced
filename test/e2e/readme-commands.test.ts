// Runs README.md's shell blocks as written ("The README's commands" there says how): the dev stack's blocks
// against startStack on free ports, the sandbox tour against a `./bin/recur.mjs sandbox` in a scratch folder.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../src/db/embedded-postgres.js';
import { startStack, type RunningStack } from '../../src/dev/stack.js';
import { fillPlaceholders, jsonFields, shellBlocks, ShellSession, type ShellBlock } from '../support/readme-blocks.js';
import { temporalCliPath } from '../support/temporal-binaries.js';

/** What one command of a block must look like and print: JSON fields, a text pattern, or nothing. */
interface Expectation {
  command: RegExp;
  json?: Record<string, RegExp>;
  text?: RegExp;
}

interface Context {
  stack: RunningStack;
  scratch: string;
  sandboxPort: number;
  sandbox?: { child: ChildProcess; output: () => string };
  /** Terminals: one in the clone (the dev stack's blocks), one in the scratch folder (the sandbox tour). */
  repo: ShellSession;
  tour: ShellSession;
}

type Runner = (block: ShellBlock, ctx: Context) => Promise<void>;

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const quiet = (command: RegExp): Expectation => ({ command });

/** Ports the README shows, moved to the ones this test listens on. */
function movePorts(command: string, ctx: Context): string {
  return command
    .replace(/\b(127\.0\.0\.1|localhost):3000\b/g, `$1:${new URL(ctx.stack.apiUrl).port}`)
    .replace(/\b(127\.0\.0\.1|localhost):4010\b/g, `$1:${ctx.sandboxPort}`);
}

/** Runs the block's commands in `session`, one expectation each, filling `<field>` from earlier JSON. */
function commands(session: (ctx: Context) => ShellSession, expectations: Expectation[]): Runner {
  return async (block, ctx) => {
    assert.equal(block.commands.length, expectations.length, `README.md:${block.line}: one expectation per command`);
    const values: Record<string, string> = {
      'the printed API key': ctx.stack.apiKey,
      'the key npm run dev printed': ctx.stack.apiKey,
    };
    for (const [i, written] of block.commands.entries()) {
      const expected = expectations[i]!;
      assert.match(written, expected.command, `README.md:${block.line}: command ${i + 1} is not the expected one`);
      const result = await session(ctx).run(movePorts(fillPlaceholders(written, values), ctx));
      const seen = `${written}\nexit ${result.status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
      assert.equal(result.status, 0, seen);
      const fields = jsonFields(result.stdout);
      for (const [name, pattern] of Object.entries(expected.json ?? {}))
        assert.match(fields[name] ?? '', pattern, seen);
      if (expected.text) assert.match(result.stdout, expected.text, seen);
      if (!expected.json && !expected.text) assert.equal(result.stdout, '', seen);
      Object.assign(values, fields);
    }
  };
}

const RUNNERS: Record<string, Runner> = {
  // `npm install && npm run dev` is run by readme-quick-start.test.ts; `npm test` is the suite running this.
  'quick-start': async (block) => {
    assert.deepEqual(
      block.commands.map((c) => c.replace(/#.*$/, '').trim()),
      ['npm install && npm run dev', 'npm test'],
    );
    assert.ok(existsSync('test/e2e/readme-quick-start.test.ts'));
  },
  'first-subscription': commands(
    (ctx) => ctx.repo,
    [
      quiet(/^first=\$\(date -u -d '\+30 days' \+%F\)$/),
      {
        command: /^curl -s -X POST http:\/\/127\.0\.0\.1:3000\/v1\/subscriptions /,
        json: {
          status: /^pending_payment$/,
          subscriptionId: /./,
          webPaymentUrl: /^http:\/\/127\.0\.0\.1:\d+\/payment\/4\.3\/pay\//,
        },
      },
    ],
  ),
  'test-clock': commands(
    (ctx) => ctx.repo,
    [
      quiet(/^export RECUR_API_URL=http:\/\/127\.0\.0\.1:3000\b/),
      quiet(/^export RECUR_API_KEY=<the key npm run dev printed>$/),
      { command: /^npx recur clock show\b/, text: /^test clock: \d{4}-\d\d-\d\dT[\d:.]+Z\n$/ },
      { command: /^npx recur clock advance 30d\b/, text: /^test clock: \S+Z \(\d+ running subscriptions told\)\n$/ },
    ],
  ),
  'sandbox-start': async (block, ctx) => {
    assert.deepEqual(block.commands, ['./bin/recur.mjs sandbox']);
    const child = spawn('bash', ['-c', `${block.commands[0]} --port ${ctx.sandboxPort}`], {
      cwd: ctx.scratch,
      env: terminalEnv(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    ctx.sandbox = { child, output: () => output };
    const deadline = Date.now() + 60_000;
    while (!/^export TWOC2P_SECRET_KEY=.*$/m.test(output)) {
      assert.ok(child.exitCode === null && Date.now() < deadline, `recur sandbox did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  },
  // Output the README shows: each line must match a printed one (`/…/` is any folder); then they are pasted.
  'sandbox-exports': async (block, ctx) => {
    const printed = (ctx.sandbox?.output() ?? '').split('\n').filter((l) => l.startsWith('export '));
    assert.equal(block.commands.length, printed.length, `the sandbox printed:\n${printed.join('\n')}`);
    for (const [i, shown] of block.commands.entries()) {
      const pattern = movePorts(shown, ctx)
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\/…\//g, '/(?:.+/)?');
      assert.match(printed[i] ?? '', new RegExp(`^${pattern}$`), `README.md:${block.line}: line ${i + 1}`);
      const pasted = await ctx.tour.run(printed[i] ?? '');
      assert.equal(pasted.status, 0, pasted.stderr);
    }
  },
  'sandbox-tour': commands(
    (ctx) => ctx.tour,
    [
      quiet(/^recur=\.\/bin\/recur\.mjs$/),
      { command: /^\$recur 2c2p balance$/, json: { respCode: /^00$/, currency: /^[A-Z]{3}$/ } },
      {
        command: /^\$recur 2c2p payment-token .*--charge-next-date "\$\(date -u -d '\+30 days' \+%F\)"$/s,
        json: { respCode: /^0000$/, paymentToken: /^[A-Za-z0-9+/]+=*$/, webPaymentUrl: /\/payment\/4\.3\/pay\// },
      },
      {
        command: /^curl -fsS -X POST http:\/\/127\.0\.0\.1:4010\/_sandbox\/payments\/<paymentToken>\/approve\b/,
        json: { result: /^approved$/ },
      },
      { command: /^\$recur 2c2p payment-inquiry /, json: { respCode: /^0000$/, recurringUniqueID: /^\d+$/ } },
      { command: /^\$recur 2c2p inquiry /, json: { respCode: /^00$/, status: /^A$/ } },
      { command: /^\$recur 2c2p rpp-inquiry --id <recurringUniqueID>$/, json: { recurringStatus: /^Y$/ } },
      { command: /^\$recur 2c2p rpp-update --id <recurringUniqueID> /, json: { respReason: /^Update Successful$/ } },
      { command: /^curl -fsS -X POST http:\/\/127\.0\.0\.1:4010\/_sandbox\/clock\/advance /, json: { now: ISO } },
      { command: /^\$recur 2c2p refund /, json: { respCode: /^00$/, status: /^RF$/ } },
      { command: /^\$recur 2c2p refund-status /, json: { respCode: /^00$/ } },
      { command: /^\$recur 2c2p rpp-cancel --id <recurringUniqueID>$/, json: { respReason: /^Cancel Successful$/ } },
    ],
  ),
  'sandbox-control': commands(
    (ctx) => ctx.tour,
    [
      { command: /^curl -fsS http:\/\/127\.0\.0\.1:4010\/_sandbox\s/, text: /^\{"routes":\[/ },
      { command: /^curl -fsS http:\/\/127\.0\.0\.1:4010\/_sandbox\/clock\s/, json: { now: ISO } },
      { command: /^curl -fsS http:\/\/127\.0\.0\.1:4010\/_sandbox\/ledger\s/, text: /"transactions":\[\{/ },
      { command: /^curl -fsS -X POST http:\/\/127\.0\.0\.1:4010\/_sandbox\/faults /, text: /"requests":\[\{/ },
      { command: /^curl -fsS -X DELETE http:\/\/127\.0\.0\.1:4010\/_sandbox\/faults$/, text: /"requests":\[\]/ },
    ],
  ),
};

/** A fresh terminal's environment: no TWOC2P_* or RECUR_* of the machine running the tests. */
function terminalEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME ?? tmpdir(), LANG: 'C.UTF-8' };
}

const blocks = shellBlocks(readFileSync('README.md', 'utf8'));

describe("the README's commands", () => {
  const ctx = {} as Context;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'recur-readme-'));
    chmodSync(dataDir, 0o755); // embedded-postgres runs as an unprivileged user when we are root
    ctx.scratch = mkdtempSync(join(tmpdir(), 'recur-readme-terminal-'));
    // `./bin/recur.mjs` as written, with the sandbox's .data/ in the scratch folder, not the clone's.
    symlinkSync(resolve('bin'), join(ctx.scratch, 'bin'));
    ctx.sandboxPort = await freePort();
    ctx.repo = new ShellSession(process.cwd(), terminalEnv());
    ctx.tour = new ShellSession(ctx.scratch, terminalEnv());
    ctx.stack = await startStack({
      dataDir,
      apiPort: await freePort(),
      sandboxPort: await freePort(),
      temporalPort: await freePort(),
      temporalUiPort: await freePort(),
      env: { TEMPORAL_CLI_PATH: temporalCliPath(), PATH: process.env.PATH },
      sandboxRealTime: false,
      log: () => {},
    });
  });
  after(async () => {
    const child = ctx.sandbox?.child;
    if (child?.pid && child.exitCode === null) {
      const closed = new Promise((r) => child.once('close', r));
      process.kill(-child.pid, 'SIGINT'); // Ctrl-C, as in the terminal the README describes
      await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    await ctx.stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(ctx.scratch, { recursive: true, force: true });
  });

  it('when the README is read, then every shell block has a runner or a reason, and every runner a block', () => {
    const unmarked = blocks.filter((b) => b.marker === undefined).map((b) => `README.md:${b.line}`);
    assert.deepEqual(unmarked, [], 'shell blocks without a <!-- readme-test: NAME --> marker');
    const names = blocks.map((b) => b.marker ?? '').filter((m) => !m.startsWith('skip:'));
    assert.deepEqual(
      names.filter((m) => !(m in RUNNERS)),
      [],
      'markers with no runner',
    );
    assert.deepEqual(
      Object.keys(RUNNERS).filter((n) => !names.includes(n)),
      [],
      'runners with no block',
    );
    assert.equal(new Set(names).size, names.length, 'each marker names one block');
    for (const b of blocks.filter((x) => x.marker?.startsWith('skip:'))) {
      assert.match(b.marker ?? '', /^skip:\s*\S/, `README.md:${b.line}: a skip says why`);
    }
  });

  for (const block of blocks) {
    const runner = block.marker === undefined ? undefined : RUNNERS[block.marker];
    if (!runner) continue;
    it(`when the "${block.marker}" block (README.md:${block.line}) is run as written, then each command succeeds and prints what it shows`, () =>
      runner(block, ctx));
  }
});
