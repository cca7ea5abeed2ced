// Minimal XML for the PaymentAction messages: written by hand in a fixed element order (2C2P is
// order-sensitive for RecurringMaintenanceRequest) with escaping, read leniently by fast-xml-parser.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { GatewayProtocolError } from '../errors.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes the five XML special characters. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** `<root><a>1</a><b></b>…</root>` with elements in the given order; undefined values are left out. */
export function buildXml(
  root: string,
  elements: ReadonlyArray<[name: string, value: string | undefined]>,
  inner = '',
): string {
  const body = elements
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return `<${root}>${body}${inner}</${root}>`;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  processEntities: true,
  isArray: (name) => name === 'refund',
});

/** Parses an XML document and returns the children of `root` (strings; empty elements become ''). */
export function parseXmlRoot(xml: string, root: string): Record<string, unknown> {
  if (typeof xml !== 'string' || XMLValidator.validate(xml) !== true) {
    throw new GatewayProtocolError({ reason: `${root} is not well-formed XML` });
  }
  const document = parser.parse(xml) as Record<string, unknown>;
  const element = document[root];
  if (element === undefined) throw new GatewayProtocolError({ reason: `expected a <${root}> document` });
  if (element === '' || element === null) return {};
  if (typeof element !== 'object') throw new GatewayProtocolError({ reason: `<${root}> has no elements` });
  return element as Record<string, unknown>;
}

/** The text of a parsed element ('' for an empty one, undefined when absent). */
export function textOf(element: unknown): string | undefined {
  if (element === undefined || element === null) return undefined;
  if (typeof element === 'string') return element;
  if (typeof element === 'number' || typeof element === 'boolean') return String(element);
  if (typeof element === 'object' && '#text' in element) return String((element as { '#text': unknown })['#text']);
  return '';
}

/** Picks the named string fields out of a parsed element. */
export function pickText<K extends string>(
  element: Record<string, unknown>,
  names: readonly K[],
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = textOf(element[name]);
    if (value !== undefined) out[name] = value;
  }
  return out;
}
