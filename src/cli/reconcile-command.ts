// `recur reconcile`: compares PostgreSQL with 2C2P (inquiries only) and prints every disagreement.
// Exit codes: 0 when they agree, 1 when they do not, 2 on a usage, configuration or connection error.
import { Client, Connection } from '@temporalio/client';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { MissingCredentialsError } from '../credentials/credential-errors.js';
import { CredentialsProvider } from '../credentials/credentials-provider.js';
import { environmentMerchant, sharedGatewaySettings } from '../credentials/environment-merchant.js';
import { gatewayClients } from '../credentials/gateway-clients.js';
import { masterKeyFrom } from '../credentials/master-key.js';
import { closePool, createPool } from '../db/index.js';
import { reconcile } from '../reconciliation/reconcile.js';
import { describeError } from './describe-error.js';
import type { CommandIo } from './gateway-command.js';
import { reconcileTable } from './reconcile-table.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: recur reconcile [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--merchant ID] [--repair] [--json]';
const TEMPORAL_CONNECT_TIMEOUT_MS = 5_000;

/** The help of `recur reconcile`. */
export const RECONCILE_HELP = [
  USAGE,
  '',
  'Compares the subscriptions, charges, refunds and plans in DATABASE_URL with 2C2P, through inquiries only',
  '(never a payment, refund or plan change), and lists every disagreement.',
  '  --from, --to  activity window (created, charged or refunded), days in TWOC2P_TIMEZONE; default: everything',
  '  --merchant    the merchant to check (default TWOC2P_MERCHANT_ID, the one whose credentials are configured)',
  '  --repair      signal the workflows that can fix a disagreement from 2C2P (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE)',
  '  --json        {"checked": {...}, "disagreements": [...]} instead of the table',
  'Exit code: 0 no disagreements, 1 disagreements, 2 usage, configuration or connection error.',
].join('\n');

interface Flags {
  from?: string;
  to?: string;
  merchant?: string;
  repair?: boolean;
  json?: boolean;
  help?: boolean;
}

function parse(argv: string[]): Flags {
  let values: Flags;
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        merchant: { type: 'string' },
        repair: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    });
    values = parsed.values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}; ${USAGE}`);
  }
  for (const name of ['from', 'to'] as const) {
    const day = values[name];
    if (day !== undefined && !isDay(day)) throw new UsageError(`--${name}: expected a date YYYY-MM-DD, got ${day}`);
  }
  if (values.from && values.to && values.from > values.to) throw new UsageError('--from is after --to');
  if (values.merchant !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(values.merchant)) {
    throw new UsageError(`--merchant: expected 1 to 64 letters, digits, _ or -, got ${values.merchant}`);
  }
  return values;
}

function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** Runs `recur reconcile …`; resolves to the exit code. */
export async function reconcileCommand(argv: string[], io: CommandIo & { err(text: string): void }): Promise<number> {
  const flags = parse(argv);
  if (flags.help) {
    io.out(RECONCILE_HELP);
    return 0;
  }
  try {
    const config = loadConfig(io.env);
    const merchantId = flags.merchant ?? config.gateway.merchantId;
    const masterKey = masterKeyFrom(io.env);
    const databaseUrl = config.database.url;
    if (!databaseUrl) throw new UsageError('DATABASE_URL: is required (the record to reconcile)');
    const pool = createPool(databaseUrl, { applicationName: 'recur-reconcile' });
    let connection: Connection | undefined;
    try {
      // The merchant's own credentials: stored (onboarded) ones, or the TWOC2P_* merchant's.
      const credentials = new CredentialsProvider({
        db: pool,
        masterKey,
        environmentMerchant: environmentMerchant(config),
      });
      const gateway = await gatewayClients(
        credentials,
        sharedGatewaySettings(config),
      )(merchantId).catch((error) => {
        if (!(error instanceof MissingCredentialsError)) throw error;
        throw new UsageError(
          `--merchant ${merchantId}: no 2C2P credentials (onboard it with recur merchant add; TWOC2P_MERCHANT_ID is ${config.gateway.merchantId})`,
        );
      });
      // Temporal only for --repair: a read-only check must not need the cluster.
      if (flags.repair) {
        connection = await Connection.connect({
          address: config.temporal.address,
          connectTimeout: TEMPORAL_CONNECT_TIMEOUT_MS,
        });
      }
      const temporalClient = connection && new Client({ connection, namespace: config.temporal.namespace });
      const scope = { merchantId, from: flags.from, to: flags.to, timeZone: config.gateway.timeZone };
      const report = await reconcile({ pool, gateway, temporalClient, repair: flags.repair ?? false, ...scope });
      io.out(
        flags.json ? JSON.stringify(report, null, 2) : reconcileTable(report, { ...scope, repair: !!flags.repair }),
      );
      return report.disagreements.length === 0 ? 0 : 1;
    } finally {
      await connection?.close();
      await closePool(pool);
    }
  } catch (error) {
    // Anything that stops a run before it has a report is the caller's setup or a connection: exit 2.
    io.err(`recur: ${describeError(error)}`);
    return 2;
  }
}
