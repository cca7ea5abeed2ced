// The gateway operations the sandbox recognises (same names as the client's GatewayOperation).

/** Every operation a request can be, in the client's vocabulary. */
export const SANDBOX_OPERATIONS = [
  'balanceInquiry',
  'paymentToken',
  'paymentInquiry',
  'inquiry',
  'void',
  'settle',
  'refund',
  'refundStatus',
  'recurringInquiry',
  'recurringUpdate',
  'recurringCancel',
] as const;

/** One gateway operation (a faults filter and a ledger label). */
export type SandboxOperation = (typeof SANDBOX_OPERATIONS)[number];

/** Whether `value` names a gateway operation. */
export function isSandboxOperation(value: unknown): value is SandboxOperation {
  return typeof value === 'string' && (SANDBOX_OPERATIONS as readonly string[]).includes(value);
}

/** PaymentProcessRequest processType → operation. */
export const PROCESS_OPERATIONS: Readonly<Record<string, SandboxOperation>> = {
  I: 'inquiry',
  V: 'void',
  S: 'settle',
  R: 'refund',
  RS: 'refundStatus',
};

/** RecurringMaintenanceRequest processType → operation. */
export const RECURRING_OPERATIONS: Readonly<Record<string, SandboxOperation>> = {
  I: 'recurringInquiry',
  U: 'recurringUpdate',
  C: 'recurringCancel',
};
