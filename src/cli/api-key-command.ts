// `recur api-key create MERCHANT_ID [--file PATH] [--live]`: an API key for one merchant, on DATABASE_URL.
// Keys are `rk_test_…` for a deployment on the 2C2P sandbox; `--live`, for one on real 2C2P, makes `rk_live_…`.
// With --file the key is written there (mode 0600) and reused while the database still knows it, so a
// deployment's one-shot setup can run on every start without minting keys; without it the key is printed once.
import { parseArgs } from 'node:util';
import { closePool, createApiKey, createPool, migrate } from '../db/index.js';
import { devApiKey } from '../dev/dev-api-key.js';
import type { CommandIo } from './gateway-command.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: recur api-key create MERCHANT_ID [--file PATH] [--live]';

export async function apiKeyCommand(argv: string[], io: CommandIo): Promise<void> {
  let parsed: { values: { file?: string; live?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { file: { type: 'string' }, live: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}; ${USAGE}`);
  }
  const [sub, merchantId, ...rest] = parsed.positionals;
  if (sub !== 'create' || !merchantId || rest.length > 0) throw new UsageError(USAGE);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(merchantId))
    throw new UsageError(`MERCHANT_ID: expected 1 to 64 letters, digits, _ or -, got ${merchantId}`);
  const databaseUrl = io.env.DATABASE_URL?.trim();
  if (!databaseUrl)
    throw new UsageError('DATABASE_URL: is required (the API key is stored, hashed, in the app database)');

  const pool = createPool(databaseUrl);
  try {
    await migrate(pool);
    const file = parsed.values.file;
    const mode = parsed.values.live ? 'live' : 'test';
    if (file) {
      await devApiKey(pool, merchantId, file, { mode });
      io.out(`API key of merchant ${merchantId} in ${file} (mode 0600)`);
    } else {
      const { key, prefix } = await createApiKey(pool, merchantId, { mode });
      io.out([`API key of merchant ${merchantId} (shown once; only its hash is stored; ${prefix}…):`, key].join('\n'));
    }
  } finally {
    await closePool(pool);
  }
}
