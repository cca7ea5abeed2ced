// Turns any failure into the one line `recur` prints on stderr: the typed code and a readable reason.
import { ConfigError } from '../config.js';
import { UsageError } from './usage-error.js';

/** Fields a typed error may carry (GatewayError and subclasses, Node system errors). */
interface Coded {
  code?: unknown;
  respCode?: unknown;
  respDesc?: unknown;
  classification?: unknown;
}

/** One line describing `error`, without the `recur: ` prefix. */
export function describeError(error: unknown): string {
  if (error instanceof ConfigError) return `invalid configuration: ${error.problems.join('; ')}`;
  if (error instanceof UsageError) return `${error.message} (see recur --help)`;
  if (!(error instanceof Error)) return `unexpected failure: ${String(error)}`;
  const coded = error as Error & Coded;
  const parts: string[] = [];
  if (typeof coded.code === 'string') parts.push(coded.code);
  parts.push(error.message || error.name);
  let line = parts.join(': ');
  if (typeof coded.respCode === 'string' && !line.includes(coded.respCode)) {
    const desc = typeof coded.respDesc === 'string' && coded.respDesc ? ` ${coded.respDesc}` : '';
    line += ` (respCode ${coded.respCode}${desc})`;
  }
  if (typeof coded.classification === 'string') line += ` [${coded.classification}]`;
  return line.replace(/\s*\n\s*/g, ' ');
}
