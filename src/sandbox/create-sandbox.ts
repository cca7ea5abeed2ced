// Composes a sandbox: state, keys, faults, notifier, virtual clock and HTTP server behind the Sandbox interface.
import { resolve } from 'node:path';
import { checkTimeZone, DEFAULT_2C2P_TIME_ZONE } from '../domain/time-zone.js';
import { VirtualClock } from './clock.js';
import type { SandboxContext } from './context.js';
import { SandboxError } from './errors.js';
import { SandboxFaults } from './faults.js';
import { heldNotification } from './held-notification.js';
import { loadSandboxKeys } from './keys.js';
import { buildLedger } from './ledger.js';
import { Notifier, type OutgoingNotification } from './notifier.js';
import { approve, decline, hold, type PaymentDeps } from './payments.js';
import { completePendingRefunds } from './refund-completion.js';
import { nextDueAt, runDue } from './scheduler.js';
import { SandboxServer } from './server.js';
import { readStateFile, StateFileWriter } from './state-file.js';
import { encodeState, restoreState, type RestoredState } from './state-snapshot.js';
import { SandboxState } from './state.js';
import type { Sandbox, SandboxOptions } from './types.js';

function earliest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a || !b) return a ?? b;
  return a.getTime() <= b.getTime() ? a : b;
}

function notListening(): SandboxError {
  return new SandboxError({ message: 'the sandbox is not listening yet', code: 'ERR_SANDBOX_NOT_LISTENING' });
}

/**
 * Moves the clock by the real time that passed, every second, one advance at a time. A clock behind real
 * time (restored from a state file) first catches up, so what fell due meanwhile happens at its own time.
 */
function realTimeTicker(clock: VirtualClock): { start(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let last = Date.now();
  let busy = false;
  const tick = () => {
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
  };
  return {
    start() {
      last = Math.min(Date.now(), clock.now().getTime());
      if (last < Date.now()) tick();
      timer ??= setInterval(tick, 1000);
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
  if (o.stateFile !== undefined && (typeof o.stateFile !== 'string' || o.stateFile.trim() === '')) {
    throw new TypeError('stateFile must be a file path');
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
  const stateFile = o.stateFile === undefined ? undefined : resolve(o.stateFile);
  const saved = stateFile === undefined ? undefined : readStateFile(stateFile);
  const restored: RestoredState | undefined = saved && restoreState(stateFile!, state, saved);
  if (restored) notifier.records.push(...restored.notifications);
  // A restored clock never goes back; a later startAt moves it forward. Following real time, a clock that a
  // test clock had moved ahead keeps its lead: the workflows' clocks (real time + their offset) kept running
  // while the sandbox was down, so its clock moves on by the downtime too.
  const downtime = o.realTime && restored ? Math.max(0, Date.now() - restored.savedAt.getTime()) : 0;
  const resumed = restored
    ? restored.clock.getTime() + (restored.clock.getTime() > restored.savedAt.getTime() ? downtime : 0)
    : 0;
  const startAt = restored ? new Date(Math.max(resumed, o.startAt?.getTime() ?? 0)) : (o.startAt ?? new Date());
  const writer: { current?: StateFileWriter } = {};
  const changed = () => writer.current?.changed();
  const deliver = async (batch: readonly OutgoingNotification[]) => {
    await notifier.deliver(batch);
    changed();
  };
  // The clock is built before the context it reports to.
  const contextRef: { current?: SandboxContext } = {};
  const clock = new VirtualClock(startAt, {
    onAdvance: (at) => completePendingRefunds(contextRef.current!, at),
    nextDueAt: () => earliest(nextDueAt(state), notifier.nextReleaseAt()),
    runDue: (at) => {
      changed();
      return runDue(state, at, faults);
    },
    deliver,
    holdBatch: () => faults.notificationMode().outOfOrder || faults.chaos.holdsBatches(),
    release: async (at) => {
      if ((await notifier.release(at.getTime())) > 0) changed();
    },
  });
  if (stateFile !== undefined) {
    writer.current = new StateFileWriter(stateFile, () =>
      encodeState(state, clock.now(), notifier.records, restored?.otherMerchants ?? []),
    );
  }
  const deps: PaymentDeps = { state, faults, now: () => clock.now() };
  const complete = (make: () => OutgoingNotification) =>
    clock.exclusive(async () => {
      await deliver([make()]);
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
    changed,
    // After the advances already queued, so nothing is released in the middle of one.
    releaseHeldNotifications: () =>
      clock.exclusive(async () => {
        const sent = await notifier.release(Number.POSITIVE_INFINITY);
        if (sent > 0) changed();
        return sent;
      }),
    withdraw(merchantId, amount) {
      const m = state.merchant(merchantId);
      if (!m) throw new SandboxError({ message: 'unknown merchant', code: 'ERR_SANDBOX_NOT_FOUND' });
      state.withdraw(m, amount, clock.now());
      changed();
    },
  };
  contextRef.current = ctx;
  // Notifications a chaos delay held when the file was written are held again, due at the same sandbox time.
  for (const record of restored?.notifications ?? []) {
    const out = record.heldUntil && record.attempts.length === 0 ? heldNotification(ctx, record) : undefined;
    if (out) notifier.rearm(out, record);
  }
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
      // After the advances already queued, so the file holds what they did.
      const file = writer.current;
      if (file) await clock.exclusive(() => file.flush());
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
    replaceMerchantPublicKey(merchantId, merchantPublicKey) {
      state.replaceMerchantPublicKey(merchantId, merchantPublicKey);
    },
  };
}
