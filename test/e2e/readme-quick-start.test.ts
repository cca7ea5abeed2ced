// Runs the README's quick start as written: the first command of its first code block, then the curl
// that command prints. Ports and the data folder are moved aside so the test never touches a developer's.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort } from '../../src/db/embedded-postgres.js';

/** The commands of the README's first fenced block, comments removed. */
function quickStartCommands(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const block = /```(?:sh|bash)?\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

describe('README quick start', () => {
  it('when the README commands are run as written, then the engine starts and its printed curl creates a subscription', async () => {
    const [startCommand, testCommand] = quickStartCommands();
    assert.equal(startCommand, 'npm install && npm run dev');
    assert.equal(testCommand, 'npm test');

    const dataDir = mkdtempSync(join(tmpdir(), 'recur-readme-'));
    chmodSync(dataDir, 0o755);
    const env = {
      ...process.env,
      RECUR_DATA_DIR: dataDir,
      API_PORT: String(await freePort()),
      SANDBOX_PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      WEBHOOKS_PORT: String(await freePort()),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    };
    const child = spawn('bash', ['-c', startCommand ?? ''], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // 'close' waits for every process that holds the output pipe: npm itself exits on Ctrl-C before its child is done.
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    try {
      const curl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no curl printed within 180 s:\n${output.slice(-3000)}`)),
          180_000,
        );
        const check = () => {
          const line = output.split('\n').find((l) => l.startsWith('curl '));
          if (line) {
            clearTimeout(timer);
            resolve(line);
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            reject(new Error(`npm run dev exited early:\n${output.slice(-3000)}`));
          } else setTimeout(check, 200);
        };
        check();
      });
      assert.match(output, /API docs\s+http:\/\/127\.0\.0\.1:\d+\/docs/);
      assert.match(output, /Temporal UI\s+http:\/\/localhost:\d+/);
      const metricsUrl = /Metrics\s+(http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(output)?.[1];
      assert.ok(metricsUrl, 'the banner names the metrics endpoint');
      const metrics = await fetch(metricsUrl);
      assert.equal(metrics.status, 200);
      assert.match(await metrics.text(), /^# TYPE recur_gateway_calls_total counter$/m);
      const created = spawnSync('bash', ['-c', curl], { encoding: 'utf8' });
      assert.equal(created.status, 0, created.stderr);
      const body = JSON.parse(created.stdout) as { status: string; webPaymentUrl: string };
      assert.equal(body.status, 'pending_payment');
      assert.match(body.webPaymentUrl, /^http:\/\/127\.0\.0\.1:\d+\/payment\/4\.3\/pay\//);
    } finally {
      // Ctrl-C: the whole process group, as a terminal would send it.
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
      const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000))]);
      if (code === 'hung' && child.pid) process.kill(-child.pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      assert.notEqual(code, 'hung', `npm run dev did not stop on Ctrl-C:\n${output.slice(-2000)}`);
    }
    assert.match(output, /INFO +stopped\n/, 'the dev stack says it stopped');
  });
});
