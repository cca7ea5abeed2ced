// `recur merchant add|list|rotate-keys`: a merchant's 2C2P credentials in DATABASE_URL, sealed under the master key.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';
import { MerchantCredentialsError } from '../credentials/credential-errors.js';
import { masterKeyFrom, type MasterKey } from '../credentials/master-key.js';
import { onboardMerchant, rotateMerchantKeys } from '../credentials/merchant-credentials.js';
import { closePool, createPool, listMerchantsWithCredentials, migrate, type MerchantListing } from '../db/index.js';
import type { CommandIo } from './gateway-command.js';
import { UsageError } from './usage-error.js';

const USAGE = [
  'usage: recur merchant add --id M [--name N] [--gateway-merchant-id X] --private-key FILE --gateway-public-key FILE --secret-file FILE',
  '       recur merchant list [--json]',
  '       recur merchant rotate-keys --id M --private-key FILE [--gateway-public-key FILE] [--secret-file FILE]',
].join('\n');

const FLAGS = {
  id: { type: 'string' },
  name: { type: 'string' },
  'gateway-merchant-id': { type: 'string' },
  'private-key': { type: 'string' },
  'gateway-public-key': { type: 'string' },
  'secret-file': { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Flags = { [K in keyof typeof FLAGS]?: (typeof FLAGS)[K]['type'] extends 'string' ? string : boolean };

/** The flag an onboarding field came from, so an error names what the operator typed. */
const FLAG_OF_FIELD: Record<string, string> = {
  id: '--id',
  name: '--name',
  gatewayMerchantId: '--gateway-merchant-id',
  privateKey: '--private-key',
  gatewayPublicKey: '--gateway-public-key',
  secret: '--secret-file',
};

/** Runs `recur merchant …`. */
export async function merchantCommand(argv: string[], io: CommandIo): Promise<void> {
  let parsed: { values: Flags; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}\n${USAGE}`);
  }
  const [sub, ...rest] = parsed.positionals;
  if (rest.length > 0 || !['add', 'list', 'rotate-keys'].includes(sub ?? '')) throw new UsageError(USAGE);
  const flags = parsed.values;
  const databaseUrl = io.env.DATABASE_URL?.trim();
  if (!databaseUrl) throw new UsageError('DATABASE_URL: is required (merchants are stored in the app database)');

  // Every file is read and the master key checked before the database is touched.
  let run: (pool: ReturnType<typeof createPool>) => Promise<string>;
  if (sub === 'list') {
    run = async (pool) => formatList(await listMerchantsWithCredentials(pool), flags.json === true);
  } else if (sub === 'add') {
    const merchantId = required(flags, 'id');
    const input = {
      merchantId,
      name: flags.name ?? merchantId,
      gatewayMerchantId: flags['gateway-merchant-id'] ?? merchantId,
      privateKeyPem: readFlagFile(flags, 'private-key', true)!,
      gatewayPublicKeyPem: readFlagFile(flags, 'gateway-public-key', true)!,
      secretCode: readFlagFile(flags, 'secret-file', true)!.trim(),
    };
    const masterKey = requireMasterKey(io.env);
    run = async (pool) => {
      const row = await onboardMerchant(pool, masterKey, input);
      return [
        `merchant ${row.merchantId} onboarded (2C2P merchant ${row.gatewayMerchantId}, key version ${row.keyVersion}, sealed under ${row.kekId})`,
        `  private key  ${row.privateKeyFingerprint}`,
        `  2C2P key     ${row.gatewayKeyFingerprint}`,
        `next: recur api-key create ${row.merchantId}`,
      ].join('\n');
    };
  } else {
    const merchantId = required(flags, 'id');
    const secret = readFlagFile(flags, 'secret-file', false);
    const input = {
      merchantId,
      privateKeyPem: readFlagFile(flags, 'private-key', true)!,
      gatewayPublicKeyPem: readFlagFile(flags, 'gateway-public-key', false),
      secretCode: secret?.trim(),
    };
    const masterKey = requireMasterKey(io.env);
    run = async (pool) => {
      const row = await rotateMerchantKeys(pool, masterKey, input);
      return [
        `merchant ${row.merchantId}: keys rotated to version ${row.keyVersion} at ${row.rotatedAt} (running processes pick them up within 5 minutes)`,
        `  private key  ${row.privateKeyFingerprint}`,
        `  2C2P key     ${row.gatewayKeyFingerprint}${input.gatewayPublicKeyPem ? '' : ' (kept)'}`,
        `  secret       ${input.secretCode === undefined ? 'kept' : 'replaced'}`,
      ].join('\n');
    };
  }

  const pool = createPool(databaseUrl);
  try {
    await migrate(pool);
    io.out(await run(pool));
  } catch (error) {
    if (error instanceof MerchantCredentialsError) throw asUsageError(error);
    throw error;
  } finally {
    await closePool(pool);
  }
}

function required(flags: Flags, name: 'id'): string {
  const value = flags[name]?.trim();
  if (!value) throw new UsageError(`--${name} is required\n${USAGE}`);
  return value;
}

/** The content of the file a flag names; the path is echoed in errors, the content never. */
function readFlagFile(flags: Flags, name: 'private-key' | 'gateway-public-key' | 'secret-file', must: boolean) {
  const path = flags[name]?.trim();
  if (!path) {
    if (must) throw new UsageError(`--${name} FILE is required\n${USAGE}`);
    return undefined;
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function requireMasterKey(env: NodeJS.ProcessEnv): MasterKey {
  let key: MasterKey | undefined;
  try {
    key = masterKeyFrom(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.problems.join('; '));
    throw error;
  }
  if (!key)
    throw new UsageError(
      'RECUR_MASTER_KEY or RECUR_MASTER_KEY_FILE is required: it seals the credentials (generate one with `openssl rand -base64 32`)',
    );
  return key;
}

function asUsageError(error: MerchantCredentialsError): UsageError {
  const flag = error.field ? FLAG_OF_FIELD[error.field] : undefined;
  const message =
    flag && error.field ? error.message.replace(new RegExp(`^${error.field}:`), `${flag}:`) : error.message;
  return new UsageError(`${error.code}: ${flag && !message.startsWith(flag) ? `${flag}: ` : ''}${message}`);
}

function formatList(merchants: MerchantListing[], json: boolean): string {
  if (json) return JSON.stringify({ merchants }, null, 2);
  if (merchants.length === 0) return 'no merchants';
  const short = (fingerprint: string) => `${fingerprint.slice(0, 'sha256:'.length + 16)}…`;
  const rows = merchants.map((m) => {
    const c = m.credentials;
    return [
      m.id,
      m.name,
      c?.gatewayMerchantId ?? '-',
      c ? String(c.keyVersion) : '-',
      c ? short(c.privateKeyFingerprint) : '(no credentials)',
      c ? short(c.gatewayKeyFingerprint) : '-',
      c?.createdAt ?? m.createdAt,
      c?.rotatedAt ?? '-',
    ];
  });
  const header = ['ID', 'NAME', '2C2P ID', 'VERSION', 'PRIVATE KEY', '2C2P KEY', 'CREATED', 'ROTATED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
