// The 2C2P sandbox: a local simulator of PaymentAction, balance inquiry and PGW v4.3 with a movable clock.
export { createSandbox } from './create-sandbox.js';
export { SandboxError, type SandboxErrorCode } from './errors.js';
export { SandboxChaos, CHAOS_COUNT_KINDS, type ChaosCountKind, type ChaosSnapshot } from './chaos.js';
export {
  CHAOS_REQUEST_FAULT_KINDS,
  parseChaosConfig,
  type ChaosConfig,
  type ChaosNotificationRates,
  type ChaosRequestFaultKind,
} from './chaos-config.js';
export { SandboxFaults, type FaultsSnapshot, type RequestFaultKind, type RequestFaultOptions } from './faults.js';
export { applyFaultSpec, type FaultSpec } from './fault-spec.js';
export type {
  LedgerEvent,
  LedgerNotification,
  LedgerPaymentToken,
  LedgerPlan,
  LedgerRefund,
  LedgerTransaction,
  SandboxLedger,
} from './ledger.js';
export { SANDBOX_OPERATIONS, type SandboxOperation } from './operations.js';
export type {
  ApprovePaymentOptions,
  Sandbox,
  SandboxClock,
  SandboxEndpoints,
  SandboxMerchant,
  SandboxNotificationOptions,
  SandboxOptions,
} from './types.js';
