// The one structured logger of Recur (pino): JSON lines in production, prettyLine in `npm run dev`, with the
// same level and the same redaction wherever it runs (API, worker, dev stack).
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { prettyStream } from './pretty-line.js';

export type { Logger } from 'pino';

/** The levels LOG_LEVEL accepts, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface LoggerSettings {
  /** LOG_LEVEL (default info). */
  level?: LogLevelName;
  /** One readable line per event instead of JSON (dev mode). */
  pretty?: boolean;
  /** Where lines go; stdout by default. Tests pass one that keeps them in memory. */
  write?: (text: string) => void;
}

// Fields that must never reach a line whatever a caller passes: Temporal task tokens, secrets, API keys,
// payment and customer tokens (the invoice number identifies a payment), card numbers.
const REDACTED_KEYS = [
  'taskToken',
  'secretKey',
  'privateKey',
  'apiKey',
  'authorization',
  'password',
  'paymentToken',
  'customerToken',
  'customerTokens',
  'cardNo',
  'pan',
];
const REDACT_PATHS = [
  ...REDACTED_KEYS,
  ...REDACTED_KEYS.map((key) => `*.${key}`),
  'req.headers.authorization',
  'req.headers["x-api-key"]',
];

/**
 * pino's options and destination for `settings`: what `createLogger` builds from, and what Fastify's `logger`
 * option takes (`{ ...options, stream }`), so the API logs like the rest.
 */
export function loggerOptions(settings: LoggerSettings = {}): LoggerOptions & { stream: DestinationStream } {
  const write = settings.write ?? ((text: string) => process.stdout.write(text));
  const stream: DestinationStream = settings.pretty
    ? prettyStream(write, { colours: settings.write === undefined && process.stdout.isTTY })
    : { write };
  return {
    level: settings.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Error objects keep their Temporal failure type and 2C2P code, not only message and stack.
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    stream,
  };
}

/** A logger with Recur's level, format and redaction. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const { stream, ...options } = loggerOptions(settings);
  return pino(options, stream);
}
