// `recur sandbox`: runs the 2C2P simulator locally for the configured (or a generated) merchant until Ctrl-C.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkKeyFile, ConfigError, parsePartialEnvironment } from '../config.js';
import { importPrivateKey } from '../gateway/keys.js';
import { createSandbox, parseChaosConfig, type ChaosConfig } from '../sandbox/index.js';
import type { CommandIo } from './gateway-command.js';
import { loadOrCreateKeyPair, loadOrCreateSecret } from './sandbox-files.js';
import { UsageError } from './usage-error.js';

/** Merchant ID the sandbox registers when none is configured. */
export const SANDBOX_MERCHANT_ID = 'RECURSANDBOX001';
const DEFAULT_PORT = 4010;

/** The merchant to register, and the env lines a shell needs to act as it (secrets only by file). */
interface SandboxMerchantSetup {
  merchantId: string;
  secretKey: string;
  merchantPublicKey: KeyObject;
  currency: string;
  /** TWOC2P_TIMEZONE: the zone paymentExpiry is read in, the same the engine writes it in. */
  timeZone: string;
  exports: string[];
}

/** The configured merchant, or one generated into (and reused from) `keysDir`. */
function merchantSetup(env: NodeJS.ProcessEnv, keysDir: string): SandboxMerchantSetup {
  const e = parsePartialEnvironment(env);
  const credentials = ['TWOC2P_MERCHANT_ID', 'TWOC2P_SECRET_KEY', 'TWOC2P_MERCHANT_PRIVATE_KEY'] as const;
  const missing = credentials.filter((name) => e[name] === undefined);
  if (missing.length === 0) {
    const keyPath = e.TWOC2P_MERCHANT_PRIVATE_KEY as string;
    const problem = checkKeyFile('TWOC2P_MERCHANT_PRIVATE_KEY', keyPath, importPrivateKey);
    if (problem) throw new ConfigError([problem]);
    const merchantPublicKey = createPublicKey(importPrivateKey(readFileSync(keyPath)));
    return {
      merchantId: e.TWOC2P_MERCHANT_ID as string,
      secretKey: e.TWOC2P_SECRET_KEY as string,
      merchantPublicKey,
      currency: e.TWOC2P_CURRENCY,
      timeZone: e.TWOC2P_TIMEZONE,
      exports: [],
    };
  }
  if (missing.length < credentials.length) {
    throw new ConfigError(
      missing.map(
        (name) => `${name}: is required when the other merchant credentials are set (unset all three to generate them)`,
      ),
    );
  }
  const keys = loadOrCreateKeyPair(keysDir, 'merchant');
  const secret = loadOrCreateSecret(keysDir);
  return {
    merchantId: SANDBOX_MERCHANT_ID,
    secretKey: secret.secret,
    merchantPublicKey: createPublicKey(keys.publicKeyPem),
    currency: e.TWOC2P_CURRENCY,
    timeZone: e.TWOC2P_TIMEZONE,
    exports: [
      `export TWOC2P_MERCHANT_ID=${SANDBOX_MERCHANT_ID}`,
      `export TWOC2P_MERCHANT_PRIVATE_KEY=${keys.privateKeyPath}`,
      `export TWOC2P_SECRET_KEY="$(cat ${secret.path})"`,
    ],
  };
}

/** The chaos configuration in `path` (the body of POST /_sandbox/chaos); a UsageError names what is wrong. */
function readChaosFile(path: string): ChaosConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--chaos: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return parseChaosConfig(JSON.parse(text));
  } catch (error) {
    throw new UsageError(
      `--chaos: ${path}: ${error instanceof SyntaxError ? 'not valid JSON' : (error as Error).message}`,
    );
  }
}

/** Resolves on Ctrl-C or SIGTERM. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Runs `recur sandbox [--port N] [--host H] [--public-url URL] [--keys-dir DIR] [--state FILE] [--reset]
 * [--chaos FILE.json]` until it is stopped. The state is kept in FILE (default DIR/state.json); --reset
 * deletes it first. --chaos starts with chaos mode on (the file holds a POST /_sandbox/chaos body).
 */
export async function sandboxCommand(argv: string[], io: CommandIo): Promise<void> {
  let values: {
    port?: string;
    'keys-dir'?: string;
    host?: string;
    'public-url'?: string;
    state?: string;
    reset?: boolean;
    chaos?: string;
  };
  try {
    const options = {
      port: { type: 'string' },
      'keys-dir': { type: 'string' },
      host: { type: 'string' },
      'public-url': { type: 'string' },
      state: { type: 'string' },
      reset: { type: 'boolean' },
      chaos: { type: 'string' },
    } as const;
    ({ values } = parseArgs({ args: argv, options, strict: true }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const port = values.port === undefined ? DEFAULT_PORT : /^\d+$/.test(values.port) ? Number(values.port) : NaN;
  if (!(port >= 0 && port <= 65_535)) throw new UsageError(`--port: expected 0 to 65535, got ${values.port}`);
  const publicUrl = values['public-url'];
  if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(publicUrl))
    throw new UsageError(`--public-url: expected an http(s) URL, got ${publicUrl}`);
  if (values.state !== undefined && values.state.trim() === '') throw new UsageError('--state: expected a file path');
  const chaos = values.chaos === undefined ? undefined : readChaosFile(resolve(values.chaos));
  const keysDir = resolve(values['keys-dir'] ?? '.data/sandbox');
  const stateFile = resolve(values.state ?? join(keysDir, 'state.json'));
  const merchant = merchantSetup(io.env, keysDir);
  const own = loadOrCreateKeyPair(keysDir, 'sandbox');
  if (values.reset) rmSync(stateFile, { force: true });
  const restoring = existsSync(stateFile);
  const sandbox = createSandbox({
    merchants: [
      {
        merchantId: merchant.merchantId,
        secretKey: merchant.secretKey,
        merchantPublicKey: merchant.merchantPublicKey,
        currency: merchant.currency,
      },
    ],
    keys: { privateKeyPem: own.privateKeyPem, publicKeyPem: own.publicKeyPem },
    timeZone: merchant.timeZone,
    stateFile,
    // Behind a container or a proxy the listening address is not where browsers and the merchant reach it.
    ...(publicUrl ? { publicBaseUrl: publicUrl } : {}),
  });
  if (chaos) sandbox.faults.chaos.configure(chaos);
  const { baseUrl } = await sandbox.listen(port, values.host ?? '127.0.0.1');
  io.out(
    [
      `2C2P sandbox listening at ${baseUrl} for merchant ${merchant.merchantId} (Ctrl-C stops it)`,
      `  PaymentAction base: ${baseUrl}/2C2PFrontend`,
      `  PGW base:           ${baseUrl}`,
      `  keys:               ${own.publicKeyPath} (sandbox public key), private keys and secrets in ${keysDir}`,
      `  state:              ${stateFile} (${restoring ? 'restored' : 'new'}; --reset starts afresh)`,
      ...(chaos
        ? [`  chaos:              on, seed ${JSON.stringify(chaos.seed)} (GET /_sandbox/chaos for the counts)`]
        : []),
      '',
      'Point `recur 2c2p` at it:',
      `export TWOC2P_PAYMENT_ACTION_BASE=${baseUrl}/2C2PFrontend`,
      `export TWOC2P_PGW_BASE=${baseUrl}`,
      `export TWOC2P_GATEWAY_PUBLIC_KEY=${own.publicKeyPath}`,
      ...merchant.exports,
      '',
    ].join('\n'),
  );
  await untilStopped();
  await sandbox.close();
}
