// Tests of `recur keys generate` and `recur sandbox`, run through the real bin.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { constants, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { json, recur, RECUR_BIN } from './support.js';

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'recur-commands-'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('recur keys generate', () => {
  it('when asked for a key pair, then it writes a usable pair, the private key 0600, and prints only paths', async () => {
    const keysDir = join(dir, 'keys');
    const result = await recur(['keys', 'generate', keysDir], {});
    assert.equal(result.code, 0, result.stderr);
    const privatePath = join(keysDir, 'merchant-private.pem');
    const publicPath = join(keysDir, 'merchant-public.pem');
    assert.ok(result.stdout.includes(privatePath) && result.stdout.includes(publicPath));
    assert.doesNotMatch(result.stdout, /BEGIN|PRIVATE KEY-----/);
    assert.equal(statSync(privatePath).mode & 0o777, 0o600);

    const privateKey = createPrivateKey(readFileSync(privatePath));
    const publicKey = createPublicKey(readFileSync(publicPath));
    assert.equal(privateKey.asymmetricKeyType, 'rsa');
    const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    const signature = sign('sha256', Buffer.from('recur'), { key: privateKey, ...pss });
    assert.ok(verify('sha256', Buffer.from('recur'), { key: publicKey, ...pss }, signature));
  });

  it('when the directory already holds a key, then it refuses to overwrite it', async () => {
    const keysDir = join(dir, 'keys-twice');
    assert.equal((await recur(['keys', 'generate', keysDir], {})).code, 0);
    const original = readFileSync(join(keysDir, 'merchant-private.pem'), 'utf8');
    const again = await recur(['keys', 'generate', keysDir], {});
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^recur: .*already exists/);
    assert.equal(readFileSync(join(keysDir, 'merchant-private.pem'), 'utf8'), original);
  });

  it('when DIR is missing, then one usage line and a non-zero exit', async () => {
    const result = await recur(['keys', 'generate'], {});
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trimEnd().split('\n').length, 1);
    assert.match(result.stderr, /^recur: usage: recur keys generate DIR/);
  });
});

/** A running `recur sandbox` child and the export lines it printed. */
interface SandboxProcess {
  child: ChildProcess;
  exports: Record<string, string>;
  output: string;
}

/** Starts `recur sandbox` and resolves once it has printed its export lines. */
function startSandboxProcess(keysDir: string, extra: string[] = []): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [RECUR_BIN, 'sandbox', '--port', '0', '--keys-dir', keysDir, ...extra], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('export TWOC2P_SECRET_KEY=')) return;
      const exports: Record<string, string> = {};
      for (const [, name, value] of output.matchAll(/^export (\w+)=(.*)$/gm)) {
        const file = /^"\$\(cat (.+)\)"$/.exec(value ?? '');
        exports[name as string] = file ? readFileSync(file[1] as string, 'utf8').trim() : (value as string);
      }
      resolve({ child, exports, output });
    });
    child.once('exit', (code) => reject(new Error(`recur sandbox exited ${code} early: ${output}`)));
  });
}

/** Sends SIGINT and resolves with the exit code. */
function interrupt(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
    child.kill('SIGINT');
  });
}

const running = new Set<ChildProcess>();

describe('recur sandbox', () => {
  after(() => {
    for (const child of running) child.kill('SIGKILL');
  });

  it('when started without a merchant, then it generates one, prints working env lines, and stops on Ctrl-C', async () => {
    const keysDir = join(dir, 'sandbox');
    const first = await startSandboxProcess(keysDir);
    assert.match(first.output, /2C2P sandbox listening at http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(first.exports['TWOC2P_GATEWAY_PUBLIC_KEY'], join(keysDir, 'sandbox-public.pem'));
    assert.match(first.exports['TWOC2P_PAYMENT_ACTION_BASE'] ?? '', /^http:\/\/127\.0\.0\.1:\d+\/2C2PFrontend$/);
    assert.doesNotMatch(first.output, /PRIVATE KEY|TWOC2P_SECRET_KEY=[0-9A-F]{16}/);
    assert.equal(statSync(join(keysDir, 'merchant-secret')).mode & 0o777, 0o600);

    const balance = json(await recur(['2c2p', 'balance'], first.exports));
    assert.equal(balance['respCode'], '00');
    assert.equal(await interrupt(first.child), 0);

    const sandboxKey = readFileSync(join(keysDir, 'sandbox-public.pem'), 'utf8');
    const second = await startSandboxProcess(keysDir);
    assert.equal(second.exports['TWOC2P_SECRET_KEY'], first.exports['TWOC2P_SECRET_KEY']);
    assert.equal(readFileSync(join(keysDir, 'sandbox-public.pem'), 'utf8'), sandboxKey);
    assert.equal(json(await recur(['2c2p', 'balance'], second.exports))['respCode'], '00');
    assert.equal(await interrupt(second.child), 0);
  });

  /** The invoice numbers of the payment tokens a running sandbox holds (its control API's ledger). */
  const tokenInvoices = async (p: SandboxProcess) => {
    const res = await fetch(`${p.exports['TWOC2P_PGW_BASE']}/_sandbox/ledger`);
    const ledger = (await res.json()) as { paymentTokens: { invoiceNo: string }[] };
    return ledger.paymentTokens.map((t) => t.invoiceNo);
  };

  it('when restarted, then it keeps its state; when started with --reset, then it starts empty', async () => {
    const keysDir = join(dir, 'sandbox-state');
    const first = await startSandboxProcess(keysDir);
    assert.match(first.output, /state: .*state\.json \(new;/);
    const created = json(
      await recur(['2c2p', 'payment-token', '--invoice', 'INVKEEP1', '--amount', '10.00'], first.exports),
    );
    assert.equal(created['respCode'], '0000');
    assert.equal(await interrupt(first.child), 0);

    const second = await startSandboxProcess(keysDir);
    assert.match(second.output, /state: .*state\.json \(restored;/);
    assert.deepEqual(await tokenInvoices(second), ['INVKEEP1']);
    assert.equal(await interrupt(second.child), 0);

    const reset = await startSandboxProcess(keysDir, ['--reset']);
    assert.deepEqual(await tokenInvoices(reset), []);
    assert.equal(await interrupt(reset.child), 0);
  });

  it('when --state names a file of a future format, then it refuses to start, naming the file and --reset', async () => {
    const stateFile = join(dir, 'future-state.json');
    writeFileSync(stateFile, JSON.stringify({ format: 'recur-sandbox-state', version: 99 }));
    const result = await recur(
      ['sandbox', '--port', '0', '--keys-dir', join(dir, 'sandbox-future'), '--state', stateFile],
      {},
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /ERR_SANDBOX_STATE_FILE/);
    assert.ok(result.stderr.includes(stateFile) && result.stderr.includes('--reset'), result.stderr);
  });
});
