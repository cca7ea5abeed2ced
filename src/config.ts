// The environment, validated once at start-up by one schema into a typed Config, sliced per consumer.
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { currencyInfo } from './domain/money.js';
import type { SubscriptionTimings } from './domain/subscription-model.js';
import { checkTimeZone, DEFAULT_2C2P_TIME_ZONE } from './domain/time-zone.js';
import type { GatewayClientOptions, GatewayEndpoints } from './gateway/client.js';
import { importPrivateKey, importPublicKey, loadGatewayKeys, type GatewayKeys } from './gateway/keys.js';
import { LOG_LEVELS, type LogLevelName } from './logging/create-logger.js';

/** Every problem found in the environment, listed at once as "VARIABLE: reason". */
export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const required = () => z.string({ error: 'is required' }).min(1, { error: 'is required' });
const token = () => required().regex(/^\S+$/, { error: 'must not contain spaces' });
const httpUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .prefault(fallback)
    .transform((url) => url.replace(/\/+$/, ''));
const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    )
    .prefault(String(fallback));
const currency = z
  .string()
  .prefault('SGD')
  .refine(
    (code) => {
      try {
        return /^[A-Z]{3}$/.test(code) && currencyInfo(code).alpha === code;
      } catch {
        return false;
      }
    },
    { error: 'must be a supported ISO 4217 alpha code such as SGD' },
  );
const timeZone = z
  .string()
  .prefault(DEFAULT_2C2P_TIME_ZONE)
  .refine(
    (name) => {
      try {
        return checkTimeZone(name) === name;
      } catch {
        return false;
      }
    },
    { error: 'must be an IANA time zone name such as Asia/Bangkok' },
  );

/** A port of an optional listener: `0` or `off` turns it off (undefined). */
const optionalPort = (fallback: number) =>
  z
    .string()
    .prefault(String(fallback))
    .refine((text) => text === 'off' || (/^\d+$/.test(text) && Number(text) <= 65_535), {
      error: 'must be a port (1 to 65535), or 0 or off to turn it off',
    })
    .transform((text) => (text === 'off' || Number(text) === 0 ? undefined : Number(text)));

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The schema of every environment variable Recur reads, with its default. */
export const environmentSchema = z.object({
  TWOC2P_MERCHANT_ID: token(),
  TWOC2P_MERCHANT_PRIVATE_KEY: required(),
  TWOC2P_GATEWAY_PUBLIC_KEY: required(),
  TWOC2P_SECRET_KEY: token(),
  TWOC2P_PAYMENT_ACTION_BASE: httpUrl('https://demo2.2c2p.com/2C2PFrontend'),
  TWOC2P_PGW_BASE: httpUrl('https://sandbox-pgw.2c2p.com'),
  TWOC2P_CURRENCY: currency,
  TWOC2P_TIMEOUT_MS: integer(1, 600_000, 15_000),
  TWOC2P_TIMEZONE: timeZone,
  // A day, so an expiry 2C2P reads in a zone up to 14 hours off TWOC2P_TIMEZONE still lies hours ahead.
  TWOC2P_PAYMENT_LINK_TTL_MS: integer(MINUTE_MS, 30 * DAY_MS, DAY_MS),
  // The version 2C2P's PaymentProcessRequest samples carry (the parameter table says 4.3).
  TWOC2P_PAYMENT_ACTION_VERSION: z
    .string()
    .regex(/^\d{1,2}\.\d{1,2}$/, { error: 'must look like 3.8 or 4.3' })
    .prefault('3.8'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, { error: 'must be host:port' })
    .prefault('localhost:7233'),
  TEMPORAL_NAMESPACE: token().prefault('default'),
  TEMPORAL_TASK_QUEUE: token().prefault('recur-subscriptions'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  API_PORT: integer(0, 65_535, 3000),
  PUBLIC_BASE_URL: httpUrl('http://localhost:3000'),
  // A sandbox deployment's test clock: the sandbox whose control API owns it. Never set with real 2C2P.
  SANDBOX_CONTROL_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  // The worker's GET /metrics, and the Temporal SDK's own Prometheus endpoint in the worker process.
  WORKER_METRICS_PORT: optionalPort(9464),
  TEMPORAL_METRICS_PORT: optionalPort(9465),
  // When set, GET /metrics (API and worker) asks for it as a bearer token.
  METRICS_TOKEN: token().optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).prefault('info'),
});

/** The validated environment, variable by variable (no files read yet). */
export type Environment = z.output<typeof environmentSchema>;

/** The environment when merchant credentials may be absent (the sandbox generates its own). */
export const partialEnvironmentSchema = environmentSchema.partial({
  TWOC2P_MERCHANT_ID: true,
  TWOC2P_MERCHANT_PRIVATE_KEY: true,
  TWOC2P_GATEWAY_PUBLIC_KEY: true,
  TWOC2P_SECRET_KEY: true,
});

/** Typed configuration of every part of Recur. */
export interface Config {
  readonly gateway: {
    readonly merchantId: string;
    readonly keys: GatewayKeys;
    readonly endpoints: GatewayEndpoints;
    readonly currency: string;
    readonly timeoutMs: number;
    /** IANA zone of the local date-times 2C2P reads and writes (paymentExpiry, timeStamp, its "today"). */
    readonly timeZone: string;
    /** `version` of every PaymentProcessRequest (TWOC2P_PAYMENT_ACTION_VERSION). */
    readonly paymentActionVersion: string;
  };
  readonly subscriptions: { readonly paymentLinkTtlMs: number };
  readonly temporal: { readonly address: string; readonly namespace: string; readonly taskQueue: string };
  readonly database: { readonly url: string | undefined };
  readonly api: { readonly port: number; readonly publicBaseUrl: string; readonly sandboxControlUrl?: string };
  /** Where the metrics are served; a port is undefined when turned off. */
  readonly metrics: { readonly workerPort?: number; readonly temporalPort?: number; readonly token?: string };
}

/** Validates `env` against `schema`, treating blank values as unset; returns the data or every problem. */
function validate<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv) {
  const fileProblems: string[] = [];
  const known = Object.keys(schema.shape).map((name) => [name, valueOf(env, name, fileProblems)]);
  const parsed = schema.safeParse(Object.fromEntries(known));
  // A variable whose _FILE twin is wrong is reported once, by the twin.
  const viaFile = new Set(fileProblems.map((p) => p.slice(0, p.indexOf('_FILE:'))));
  const issues = parsed.success ? [] : parsed.error.issues.filter((i) => !viaFile.has(String(i.path[0])));
  const problems = issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  problems.push(...fileProblems);
  return { data: fileProblems.length > 0 ? undefined : parsed.data, problems };
}

/** Variables that may instead name a file holding the value (`NAME_FILE`, as Docker and Kubernetes secrets do). */
const FILE_VARIABLES = new Set(['TWOC2P_SECRET_KEY', 'DATABASE_URL', 'METRICS_TOKEN']);

/** A variable's value (blank counts as unset), or the trimmed content of the file its `_FILE` twin names. */
function valueOf(env: NodeJS.ProcessEnv, name: string, problems: string[]): string | undefined {
  const direct = env[name]?.trim() || undefined;
  const file = FILE_VARIABLES.has(name) ? env[`${name}_FILE`]?.trim() || undefined : undefined;
  if (file === undefined) return direct;
  if (direct !== undefined) {
    problems.push(`${name}_FILE: set either ${name} or ${name}_FILE, not both`);
    return undefined;
  }
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (error) {
    // The path is configuration, the content a secret: only the former is ever echoed.
    problems.push(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

/** Like validate, but throws ConfigError unless the environment is valid. */
function parseWith<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const { data, problems } = validate(schema, env);
  if (data === undefined) throw new ConfigError(problems);
  return data;
}

/** Validates the environment's variables (no files read); throws ConfigError listing every problem. */
export function parseEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return parseWith(environmentSchema, env);
}

/** Like parseEnvironment, but the four merchant credentials may be absent. */
export function parsePartialEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): z.output<typeof partialEnvironmentSchema> {
  return parseWith(partialEnvironmentSchema, env);
}

/** TWOC2P_TIMEZONE alone (default Asia/Bangkok), for a sandbox started before the rest of the configuration. */
export function configuredTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  return parseWith(environmentSchema.pick({ TWOC2P_TIMEZONE: true }), env).TWOC2P_TIMEZONE;
}

/** TWOC2P_CURRENCY alone (default SGD), for validating amounts before the rest of the configuration. */
export function configuredCurrency(env: NodeJS.ProcessEnv = process.env): string {
  return parseWith(environmentSchema.pick({ TWOC2P_CURRENCY: true }), env).TWOC2P_CURRENCY;
}

/** LOG_LEVEL alone (default info), for the logger every entry point creates before the rest of the configuration. */
export function configuredLogLevel(env: NodeJS.ProcessEnv = process.env): LogLevelName {
  return parseWith(environmentSchema.pick({ LOG_LEVEL: true }), env).LOG_LEVEL;
}

/** Reads and imports one key file; returns a "VARIABLE: reason" problem instead of throwing. */
export function checkKeyFile(
  variable: string,
  path: string,
  importKey: (data: Buffer) => KeyObject,
): string | undefined {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return `${variable}: cannot read ${path} (${code})`;
  }
  try {
    importKey(data);
    return undefined;
  } catch (error) {
    // The gateway's import errors describe the format problem and never echo key material.
    return `${variable}: ${path} is not a usable key (${(error as Error).message})`;
  }
}

/** Loads and validates the configuration, importing the keys; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { data: e, problems } = validate(environmentSchema, env);
  // Key files are checked even when other variables are wrong, so one run reports everything.
  const keyFiles = [
    ['TWOC2P_MERCHANT_PRIVATE_KEY', importPrivateKey],
    ['TWOC2P_GATEWAY_PUBLIC_KEY', importPublicKey],
  ] as const;
  for (const [variable, importKey] of keyFiles) {
    const path = env[variable]?.trim();
    const problem = path ? checkKeyFile(variable, path, importKey) : undefined;
    if (problem) problems.push(problem);
  }
  if (e === undefined || problems.length > 0) throw new ConfigError(problems);
  let keys: GatewayKeys;
  try {
    keys = loadGatewayKeys({
      merchantPrivateKeyPath: e.TWOC2P_MERCHANT_PRIVATE_KEY,
      gatewayPublicKeyPath: e.TWOC2P_GATEWAY_PUBLIC_KEY,
      secretKey: e.TWOC2P_SECRET_KEY,
    });
  } catch (error) {
    throw new ConfigError([`TWOC2P keys: ${(error as Error).message}`]);
  }
  return {
    gateway: {
      merchantId: e.TWOC2P_MERCHANT_ID,
      keys,
      endpoints: { paymentActionBase: e.TWOC2P_PAYMENT_ACTION_BASE, pgwBase: e.TWOC2P_PGW_BASE },
      currency: e.TWOC2P_CURRENCY,
      timeoutMs: e.TWOC2P_TIMEOUT_MS,
      timeZone: e.TWOC2P_TIMEZONE,
      paymentActionVersion: e.TWOC2P_PAYMENT_ACTION_VERSION,
    },
    subscriptions: { paymentLinkTtlMs: e.TWOC2P_PAYMENT_LINK_TTL_MS },
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE },
    database: { url: e.DATABASE_URL },
    api: {
      port: e.API_PORT,
      publicBaseUrl: e.PUBLIC_BASE_URL,
      ...(e.SANDBOX_CONTROL_URL ? { sandboxControlUrl: e.SANDBOX_CONTROL_URL } : {}),
    },
    metrics: {
      ...(e.WORKER_METRICS_PORT ? { workerPort: e.WORKER_METRICS_PORT } : {}),
      ...(e.TEMPORAL_METRICS_PORT ? { temporalPort: e.TEMPORAL_METRICS_PORT } : {}),
      ...(e.METRICS_TOKEN ? { token: e.METRICS_TOKEN } : {}),
    },
  };
}

/** The gateway client's options from the configuration (add `fetch`/`observer` at the call site). */
export function gatewayConfig(
  config: Config,
): Pick<GatewayClientOptions, 'merchantId' | 'keys' | 'endpoints' | 'timeoutMs' | 'timeZone' | 'paymentActionVersion'> {
  const { merchantId, keys, endpoints, timeoutMs, timeZone, paymentActionVersion } = config.gateway;
  return { merchantId, keys, endpoints, timeoutMs, timeZone, paymentActionVersion };
}

/** The timings every new subscription is given: the payment link's lifetime (TWOC2P_PAYMENT_LINK_TTL_MS). */
export function subscriptionTimingsConfig(config: Config): Pick<SubscriptionTimings, 'paymentLinkTtlMs'> {
  return { paymentLinkTtlMs: config.subscriptions.paymentLinkTtlMs };
}

/** Where the Temporal client and worker connect, and the task queue they share. */
export function temporalConfig(config: Config): Config['temporal'] {
  return config.temporal;
}

/** The PostgreSQL URL, or undefined when an embedded database should be started. */
export function databaseConfig(config: Config): Config['database'] {
  return config.database;
}

/** The HTTP API's port and the public base URL used in return and notification URLs. */
export function apiConfig(config: Config): Config['api'] {
  return config.api;
}

/** The worker's and the Temporal SDK's metrics ports (undefined when off) and the scrape token. */
export function metricsConfig(config: Config): Config['metrics'] {
  return config.metrics;
}
