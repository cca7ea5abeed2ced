// Reads 2C2P answers into what the workflow decides on: balances and refund states.
import { currencyInfo } from '../domain/money.js';
import type { RefundOutcome } from './types.js';

/** A balance such as "795904449.7206" in whole minor units, rounded down (never overstates funds). */
export function balanceToMinor(decimal: string, currency: string): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) throw new RangeError(`not a balance: ${JSON.stringify(decimal)}`);
  const { exponent } = currencyInfo(currency);
  const minor = Number((match[2] ?? '0') + (match[3] ?? '').padEnd(exponent, '0').slice(0, exponent));
  return match[1] === '-' ? -minor : minor;
}

/** A refund's state from its PaymentAction status: RF done, RP pending, RFF/RR* failed. */
export function refundOutcomeOf(
  status: string,
  respCode: string,
  respDesc: string,
  referenceNo?: string,
): RefundOutcome {
  if (status === 'RF') return { status: 'succeeded', respCode, respDesc, referenceNo };
  if (status === 'RP' || status === '') return { status: 'pending', respCode, respDesc, referenceNo };
  return { status: 'failed', respCode, respDesc: `${respDesc} (status ${status})`, referenceNo };
}
