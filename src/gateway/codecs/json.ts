// JSON helpers for the PGW and balance codecs: decimal literals written exactly, strings read back.
import { GatewayProtocolError } from '../errors.js';

const DECIMAL = /^\d{1,15}(\.\d{1,5})?$/;
const MARK = /"@@decimal\((\d{1,15}(?:\.\d{1,5})?)\)@@"/g;

/**
 * JSON text in which the named fields are written as number literals exactly as given ("1000.00" →
 * 1000.00), so an amount never passes through a float on its way to 2C2P.
 */
export function stringifyWithDecimals(value: object, decimalFields: readonly string[]): string {
  const text = JSON.stringify(value, (key, field: unknown) => {
    if (decimalFields.includes(key) && field !== undefined) {
      if (typeof field !== 'string' || !DECIMAL.test(field))
        throw new RangeError(`${key} must be a decimal string, got ${JSON.stringify(field)}`);
      return `@@decimal(${field})@@`;
    }
    return field;
  });
  return text.replace(MARK, '$1');
}

/** Parses a JSON object; GatewayProtocolError when it is not one. */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayProtocolError({ reason: `${what} is not JSON` });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new GatewayProtocolError({ reason: `${what} is not a JSON object` });
  return value as Record<string, unknown>;
}

/** A wire value as a string: numbers keep their shortest exact form ("1000.5"), absent stays undefined. */
export function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Picks string fields of a JSON object. */
export function pickJsonText<K extends string>(
  value: Record<string, unknown>,
  names: readonly K[],
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const name of names) {
    const text = asText(value[name]);
    if (text !== undefined) out[name] = text;
  }
  return out;
}
