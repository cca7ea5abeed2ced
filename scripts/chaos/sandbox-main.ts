// The 2C2P sandbox as a process of its own for the chaos run: the merchant's keys from CHAOS_KEYS_DIR, time
// moved only by the test clock, state kept in a file (unless CHAOS_SANDBOX_STATELESS=1).
import { createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { loadOrCreateKeyPair, loadOrCreateSecret } from '../../src/cli/sandbox-files.js';
import { money } from '../../src/domain/money.js';
import { createSandbox } from '../../src/sandbox/index.js';

const keysDir = process.env.CHAOS_KEYS_DIR;
const port = Number(process.env.CHAOS_SANDBOX_PORT);
const merchantId = process.env.TWOC2P_MERCHANT_ID;
const currency = process.env.TWOC2P_CURRENCY ?? 'SGD';
if (!keysDir || !merchantId || !Number.isInteger(port)) {
  throw new TypeError('CHAOS_KEYS_DIR, CHAOS_SANDBOX_PORT and TWOC2P_MERCHANT_ID are required');
}
const merchantKeys = loadOrCreateKeyPair(keysDir, 'merchant');
const sandboxKeys = loadOrCreateKeyPair(keysDir, 'sandbox');
const sandbox = createSandbox({
  merchants: [
    {
      merchantId,
      secretKey: loadOrCreateSecret(keysDir).secret,
      merchantPublicKey: createPublicKey(merchantKeys.publicKeyPem),
      currency,
      initialBalance: money(1_000_000_000_00, currency),
    },
  ],
  keys: { privateKeyPem: sandboxKeys.privateKeyPem, publicKeyPem: sandboxKeys.publicKeyPem },
  realTime: false,
  timeZone: process.env.TWOC2P_TIMEZONE ?? 'Asia/Bangkok',
  ...(process.env.CHAOS_SANDBOX_STATELESS === '1' ? {} : { stateFile: join(keysDir, 'state.json') }),
});
const { baseUrl } = await sandbox.listen(port, '127.0.0.1');
console.log(`sandbox ready ${baseUrl}`);
const stop = () => void sandbox.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
