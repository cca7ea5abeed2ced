// A subscription worker in its own process, so a test can kill it (SIGKILL) in the middle of an activity.
// Reads RECUR_TEST_WORKER (JSON) for the Temporal address, database, sandbox endpoints and keys.
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../src/activities/create-activities.js';
import { createPool } from '../../src/db/index.js';
import { createGatewayClient } from '../../src/gateway/client.js';
import { importPrivateKey, importPublicKey } from '../../src/gateway/keys.js';
import { createSubscriptionWorker } from '../../src/worker/create-worker.js';

export interface ChildWorkerSettings {
  address: string;
  taskQueue: string;
  databaseUrl: string;
  baseUrl: string;
  merchantPrivateKeyPem: string;
  merchantPublicKeyPem: string;
  gatewayPublicKeyPem: string;
  secretKey: string;
  timeoutMs: number;
}

const settings = JSON.parse(process.env.RECUR_TEST_WORKER ?? '{}') as ChildWorkerSettings;
const keys = {
  merchantPrivateKey: importPrivateKey(settings.merchantPrivateKeyPem),
  merchantPublicKey: importPublicKey(settings.merchantPublicKeyPem),
  gatewayPublicKey: importPublicKey(settings.gatewayPublicKeyPem),
  secretKey: new TextEncoder().encode(settings.secretKey),
};
const pool = createPool(settings.databaseUrl);
const worker = await createSubscriptionWorker({
  connection: await NativeConnection.connect({ address: settings.address }),
  taskQueue: settings.taskQueue,
  // The time-skipping test server never times out a dead worker's sticky queue, so this worker, which the
  // test kills, must not take workflow tasks onto one.
  maxCachedWorkflows: 0,
  activities: createActivities({
    pool,
    gatewayFor: (merchantId, observer) =>
      createGatewayClient({
        merchantId,
        keys,
        endpoints: { paymentActionBase: `${settings.baseUrl}/2C2PFrontend`, pgwBase: settings.baseUrl },
        timeoutMs: settings.timeoutMs,
        observer,
      }),
  }),
});
process.stdout.write('worker ready\n');
await worker.run();
