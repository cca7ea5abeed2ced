// Test cards: validation and masking; only the masked form is ever kept or shown.
import type { Card } from './model.js';

/** The card used when a payment is approved without a card number or stored card. */
export const DEFAULT_TEST_CARD = '4111111111111111';

function luhnValid(pan: string): boolean {
  let sum = 0;
  for (let i = 0; i < pan.length; i += 1) {
    let digit = Number(pan[pan.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function schemeOf(pan: string): Card['scheme'] {
  if (pan.startsWith('4')) return 'VI';
  if (/^(5[1-5]|2[2-7])/.test(pan)) return 'MA';
  if (/^3[47]/.test(pan)) return 'AM';
  if (pan.startsWith('35')) return 'JC';
  throw new RangeError('card number: unsupported scheme');
}

/** Validates a test card number (13–19 digits, Luhn) and returns its masked form (6 + X… + 4). */
export function cardFromNumber(pan: string): Card {
  if (!/^\d{13,19}$/.test(pan) || !luhnValid(pan)) {
    throw new RangeError('card number: expected 13 to 19 digits passing the Luhn check');
  }
  const masked = `${pan.slice(0, 6)}${'X'.repeat(pan.length - 10)}${pan.slice(-4)}`;
  return { masked, scheme: schemeOf(pan) };
}

/** The RPP inquiry form of a masked card: every digit but the last four hidden. */
export function maskedCardNo(card: Card): string {
  return `${'X'.repeat(card.masked.length - 4)}${card.masked.slice(-4)}`;
}
