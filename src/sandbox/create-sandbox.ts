// Composes a sandbox: state, keys, faults, notifier, virtual clock and HTTP server behind the Sandbox interface.
import { checkTimeZone, DEFAULT_2C2P_TIME_ZONE } from '../domain/time-zone.js';
import { VirtualClock } from './clock.js';
import type { SandboxContext } from './context.js';
import { SandboxError } from './errors.js';
import { SandboxFaults } from './faults.js';
import { loadSandboxKeys } from './keys.js';
import { buildLedger } from './ledger.js';
import { Notifier, type OutgoingNotification } from './notifier.js';
import { approve, decline, hold, type PaymentDeps } from './payments.js';
import { completePendingRefunds } from './refund-completion.js';
import { nextDueAt, runDue } from './scheduler.js';
import { SandboxServer } from './server.js';
import { SandboxState } from './state.js';
import type { Sandbox, SandboxOptions } from './types.js';

function notListening(): SandboxError {
  return new SandboxError({ message: 'the sandbox is not listening yet', code: 'ERR_SANDBOX_NOT_LISTENING' });
}

/** Moves the clock by the real time that passed, every second, one advance at a time. */
function realTimeTicker(clock: VirtualClock): { start(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let last = Date.now();
  let busy = false;
  return {
    start() {
      last = Date.now();
      timer ??= setInterval(() => {
        if (busy) return;
        busy = true;
        const now = Date.now();
        void clock
          .advance(now - last)
          .catch(() => undefined)
          .finally(() => {
            last = now;
            busy = false;
          });
      }, 1000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

/**
 * Creates a 2C2P simulator with the given merchants; nothing listens until `listen()`.
 * @example
 * const sandbox = createSandbox({ merchants: [{ merchantId: 'JT01', secretKey, merchantPublicKey, currency: 'SGD' }] });
 * const { baseUrl } = await sandbox.listen();
 * // client endpoints: { paymentActionBase: `${baseUrl}/2C2PFrontend`, pgwBase: baseUrl }
 */
export function createSandbox(o: SandboxOptions): Sandbox {
  if (typeof o !== 'object' || o === null) throw new TypeError('createSandbox: options are required');
  if (o.publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/.test(o.publicBaseUrl)) {
    throw new TypeError('publicBaseUrl must be an http(s) URL');
  }
  const timeZone = checkTimeZone(o.timeZone ?? DEFAULT_2C2P_TIME_ZONE);
  const state = new SandboxState(o.merchants, o.settlementDelayMs);
  if (o.recurringInvoices !== undefined) {
    if (!['from-00001', 'from-00000', 'sequence-only'].includes(o.recurringInvoices)) {
      throw new TypeError("recurringInvoices must be 'from-00001', 'from-00000' or 'sequence-only'");
    }
    state.recurringInvoices = o.recurringInvoices;
  }
  const keys = loadSandboxKeys(o.keys);
  const faults = new SandboxFaults();
  const notifier = new Notifier(faults, o.notifications);
  // The clock is built before the context it reports to.
  const contextRef: { current?: SandboxContext } = {};
  const clock = new VirtualClock(o.startAt ?? new Date(), {
    onAdvance: (at) => completePendingRefunds(contextRef.current!, at),
    nextDueAt: () => nextDueAt(state),
    runDue: (at) => runDue(state, at, faults),
    deliver: (batch) => notifier.deliver(batch),
    holdBatch: () => faults.notificationMode().outOfOrder,
  });
  const deps: PaymentDeps = { state, faults, now: () => clock.now() };
  const complete = (make: () => OutgoingNotification) =>
    clock.exclusive(async () => {
      await notifier.deliver([make()]);
    });
  const server: { current?: SandboxServer } = {};
  const baseUrl = () => {
    const url = o.publicBaseUrl?.replace(/\/+$/, '') ?? server.current?.url;
    if (!url) throw notListening();
    return url;
  };
  const ctx: SandboxContext = {
    state,
    faults,
    clock,
    keys,
    timeZone,
    baseUrl,
    approvePayment: (token, opts) => complete(() => approve(deps, token, opts)),
    declinePayment: (token, respCode) => complete(() => decline(deps, token, respCode)),
    holdPayment: (token, respCode) => complete(() => hold(deps, token, respCode)),
    ledger: () => buildLedger(state, clock.now(), notifier.records),
    withdraw(merchantId, amount) {
      const m = state.merchant(merchantId);
      if (!m) throw new SandboxError({ message: 'unknown merchant', code: 'ERR_SANDBOX_NOT_FOUND' });
      state.withdraw(m, amount, clock.now());
    },
  };
  contextRef.current = ctx;
  server.current = new SandboxServer(ctx);
  const context = ctx;
  const ticker = o.realTime ? realTimeTicker(clock) : undefined;
  return {
    publicKeyPem: keys.publicKeyPem,
    clock,
    faults,
    async listen(port, host) {
      const baseUrl = await server.current!.listen(port, host);
      ticker?.start();
      return { baseUrl };
    },
    async close() {
      ticker?.stop();
      await server.current!.close();
    },
    endpoints() {
      const url = server.current?.url;
      if (!url) throw notListening();
      return { baseUrl: url, paymentActionBase: `${url}/2C2PFrontend`, pgwBase: url };
    },
    approvePayment: context.approvePayment,
    declinePayment: context.declinePayment,
    holdPayment: context.holdPayment,
    ledger: context.ledger,
    withdraw: context.withdraw,
  };
}
