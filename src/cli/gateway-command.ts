// `recur 2c2p <op> [flags]`: one 2C2P call from the command line, the decoded response printed as JSON.
import { parseArgs } from 'node:util';
import { configuredCurrency, gatewayConfig, loadConfig } from '../config.js';
import { createGatewayClient } from '../gateway/client.js';
import { FlagReader, GATEWAY_FLAGS, type FlagName, type FlagValues } from './flag-reader.js';
import { GATEWAY_OPS } from './gateway-ops.js';
import { UsageError } from './usage-error.js';

/** Where the command writes; injectable so the command can be tested in-process. */
export interface CommandIo {
  out(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** The help text of `recur 2c2p`. */
export function gatewayHelp(): string {
  const ops = Object.entries(GATEWAY_OPS).map(([name, op]) => `  ${name.padEnd(16)}${op.summary}`);
  return [
    'usage: recur 2c2p <op> [flags]',
    '',
    'ops:',
    ...ops,
    '',
    'flags: --invoice NO  --amount 99.90  --currency SGD  --id RECURRING_UNIQUE_ID  --description TEXT',
    '       --customer-token TOKEN (repeatable)  --payment-token TOKEN  --idempotency-id ID',
    '       --recurring --invoice-prefix P --recurring-amount 9.90 --interval DAYS | --charge-on-date ddMM',
    '       --count N (0 = unlimited) --charge-next-date ddMMyyyy|yyyy-mm-dd',
    '       --allow-accumulate | --no-allow-accumulate  --max-accumulate-amount 29.70  --recurring-status Y|N',
    '',
    'Configuration comes from the TWOC2P_* environment variables (see README).',
  ].join('\n');
}

/** Parses argv strictly into the op name and its flags; UsageError on anything unknown. */
function parse(argv: string[]): { opName: string | undefined; values: FlagValues } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: GATEWAY_FLAGS,
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`);
    return { opName: positionals[0], values: values as FlagValues };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

/** Runs `recur 2c2p …`; resolves when the response has been printed. */
export async function gatewayCommand(argv: string[], io: CommandIo): Promise<void> {
  const { opName, values } = parse(argv);
  if (values.help || opName === undefined) {
    io.out(gatewayHelp());
    if (opName === undefined && !values.help) throw new UsageError('recur 2c2p needs an op');
    return;
  }
  const op = Object.hasOwn(GATEWAY_OPS, opName) ? GATEWAY_OPS[opName] : undefined;
  if (!op) throw new UsageError(`unknown 2c2p op ${opName}; ops: ${Object.keys(GATEWAY_OPS).join(', ')}`);
  const stray = (Object.keys(values) as FlagName[]).find((name) => name !== 'currency' && !op.flags.includes(name));
  if (stray) throw new UsageError(`--${stray} does not apply to ${opName}`);
  // Flags are checked before the configuration, so a typo is reported as such even on an unconfigured machine.
  const call = op.build(new FlagReader(values, (values.currency as string | undefined) ?? configuredCurrency(io.env)));
  const config = loadConfig(io.env);
  const client = createGatewayClient(gatewayConfig(config));
  const response = await call(client);
  io.out(JSON.stringify(response, null, 2));
}
