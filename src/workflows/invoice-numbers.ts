// The invoice numbers a subscription's payments carry at 2C2P, all under its 12-character prefix.

/** Invoice number of the first payment: the plan's prefix and sequence 00000 (2C2P numbers charges from 1). */
export function initialInvoiceNo(prefix: string): string {
  return `${prefix}00000`;
}

/** Invoice number 2C2P gives recurring charge `sequence`: invoicePrefix + 5 digits. */
export function recurringInvoiceNo(prefix: string, sequence: number): string {
  return `${prefix}${String(sequence).padStart(5, '0')}`;
}

/** Invoice number of the payment link for a failed charge; `attempt` counts links for that charge. */
export function dunningInvoiceNo(prefix: string, sequence: number, attempt: number): string {
  return `${prefix}D${String(sequence).padStart(5, '0')}${String(attempt).padStart(2, '0')}`;
}
