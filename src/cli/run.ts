// Dispatches a `recur` command line and turns any failure into one line on stderr and a non-zero exit code.
import { describeError } from './describe-error.js';
import type { CommandIo } from './gateway-command.js';
import { UsageError } from './usage-error.js';

const HELP = [
  'usage: recur <command>',
  '',
  '  recur 2c2p <op> [flags]                      one 2C2P call, the decoded response printed as JSON',
  '  recur keys generate DIR                      write a merchant RSA key pair into DIR',
  '  recur sandbox [--port N] [--host H] [--public-url URL] [--keys-dir DIR] [--state FILE] [--reset]',
  '                                               run the local 2C2P simulator (default 127.0.0.1:4010, keys in .data/sandbox)',
  '                                               its state kept in FILE (default DIR/state.json); --reset starts afresh',
  '  recur api-key create MERCHANT_ID [--file P]  an API key for a merchant on DATABASE_URL (printed once, or kept in P)',
  '  recur merchant add --id M --private-key F --gateway-public-key F --secret-file F [--name N] [--gateway-merchant-id X]',
  '  recur merchant list [--json] | rotate-keys --id M --private-key F [--gateway-public-key F] [--secret-file F]',
  '                                               merchants and their sealed 2C2P credentials (RECUR_MASTER_KEY, DATABASE_URL)',
  '  recur clock show | advance 30d | advance --to ISO',
  '                                               the test clock of a sandbox deployment (RECUR_API_URL, RECUR_API_KEY)',
  '  recur reconcile [--from D] [--to D] [--merchant ID] [--repair] [--json]',
  '                                               compare DATABASE_URL with 2C2P (inquiries only); exit 1 on any',
  '                                               disagreement; --repair signals the workflows that can fix theirs',
  '',
  'recur 2c2p --help lists the ops and their flags.',
].join('\n');

/** Runs `recur` with `argv` (without node and script); returns the exit code. */
export async function run(argv: string[], io: CommandIo & { err(text: string): void }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case '2c2p':
        // Commands load lazily: `recur keys` should not pay for the gateway client, nor `2c2p` for the sandbox.
        await (await import('./gateway-command.js')).gatewayCommand(rest, io);
        return 0;
      case 'keys':
        await (await import('./keys-command.js')).keysCommand(rest, io);
        return 0;
      case 'api-key':
        await (await import('./api-key-command.js')).apiKeyCommand(rest, io);
        return 0;
      case 'merchant':
        await (await import('./merchant-command.js')).merchantCommand(rest, io);
        return 0;
      case 'clock':
        await (await import('./clock-command.js')).clockCommand(rest, io);
        return 0;
      case 'sandbox':
        await (await import('./sandbox-command.js')).sandboxCommand(rest, io);
        return 0;
      case 'reconcile':
        // Its own exit codes: 1 means "they disagree", so failures to run it at all are 2.
        return await (await import('./reconcile-command.js')).reconcileCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(
          `unknown command ${command}; commands: 2c2p, keys, sandbox, api-key, merchant, clock, reconcile`,
        );
    }
  } catch (error) {
    io.err(`recur: ${describeError(error)}`);
    return error instanceof UsageError ? 2 : 1;
  }
}
