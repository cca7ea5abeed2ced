// The shared context handed to every route: state, clock, faults, keys and payment completion.
import type { Money } from '../domain/money.js';
import type { VirtualClock } from './clock.js';
import type { SandboxFaults } from './faults.js';
import type { SandboxKeys } from './keys.js';
import type { SandboxState } from './state.js';
import type { SandboxLedger } from './ledger.js';
import type { ApprovePaymentOptions } from './types.js';

/** What routes may use; built once per sandbox. */
export interface SandboxContext {
  readonly state: SandboxState;
  readonly faults: SandboxFaults;
  readonly clock: VirtualClock;
  readonly keys: SandboxKeys;
  /** IANA zone of the local date-times requests carry (paymentExpiry). */
  readonly timeZone: string;
  /** The base URL for webPaymentUrl (publicBaseUrl, else the listen URL). */
  baseUrl(): string;
  approvePayment(paymentToken: string, opts?: ApprovePaymentOptions): Promise<void>;
  declinePayment(paymentToken: string, respCode?: string): Promise<void>;
  holdPayment(paymentToken: string, respCode?: string): Promise<void>;
  ledger(): SandboxLedger;
  /** Notes that the state may have changed (the state file is rewritten soon after). */
  changed(): void;
  /** Sends every notification a chaos delay still holds, after queued clock advances; how many were sent. */
  releaseHeldNotifications(): Promise<number>;
  withdraw(merchantId: string, amount: Money): void;
}
