// What the API needs from the composition root: Temporal, PostgreSQL and two merchant look-ups.
import type { TestClock } from './test-clock.js';
import type { MasterKey } from '../credentials/master-key.js';
import type { ApiKeyMode } from '../db/index.js';
import type { Client } from '@temporalio/client';
import type { FastifyServerOptions } from 'fastify';
import type pg from 'pg';
import type { RecurMetrics } from '../metrics/recur-metrics.js';
import type { SubscriptionTimings } from '../workflows/definitions.js';
import type { NotificationMerchant } from './use-cases/receive-notification.js';

/** A merchant's balance as 2C2P's balance inquiry reports it. */
export interface MerchantBalance {
  /** Decimal string, up to 4 decimals (2C2P's `availableBalance`). */
  availableBalance: string;
  currency: string;
}

/** The admin routes' settings (/v1/admin); the routes exist only when this is given. */
export interface AdminDeps {
  /** RECUR_ADMIN_API_KEY: the bearer key of the admin routes, and of nothing else. */
  apiKey: string;
  /** Seals onboarded credentials; without it onboarding and rotation answer 503. */
  masterKey?: MasterKey;
  /** The prefix of the merchant API keys the admin routes issue: `test` on the sandbox, `live` on real 2C2P. */
  keyMode: ApiKeyMode;
  /** After a rotation: this process's credentials cache drops what it held, so the new keys serve at once. */
  credentialsChanged?(): void;
}

/** Everything `buildApiServer` is given; nothing here is read from the environment. */
export interface ApiDeps {
  /** A connected Temporal client; the API never closes it. */
  temporal: Client;
  /** Task queue the subscription worker polls. */
  taskQueue: string;
  /** PostgreSQL, migrated; the API never closes it. */
  pool: pg.Pool;
  /** PUBLIC_BASE_URL: the default backendReturnUrl is `${publicBaseUrl}/v1/2c2p/notifications`. */
  publicBaseUrl: string;
  /**
   * The merchant 2C2P calls `gatewayMerchantId` (a notification's merchantID): Recur's merchant id for it and the
   * HS256 secret of its notifications; undefined for a merchant the API does not serve.
   */
  notificationMerchant(gatewayMerchantId: string): Promise<NotificationMerchant | undefined>;
  /** 2C2P balance inquiry for a merchant; undefined when the API has no gateway credentials for it. */
  balanceInquiry(merchantId: string): Promise<MerchantBalance | undefined>;
  /** Timings given to every new subscription (dev mode and end-to-end tests shorten them). */
  subscriptionTimings?: Partial<SubscriptionTimings>;
  /** TWOC2P_TIMEZONE: a first charge must fall after today there too, as 2C2P checks it (default Asia/Bangkok). */
  timeZone?: string;
  /** The clock for requestedAt and date checks; the machine's by default. */
  now?: () => Date;
  /** A sandbox deployment's test clock (src/api/test-clock.ts); absent with real 2C2P, and so are its routes. */
  testClock?: TestClock;
  /** Where the API's metrics are kept and served from (GET /metrics); the process's registry when absent. */
  metrics?: RecurMetrics;
  /** METRICS_TOKEN: the bearer token GET /metrics requires; open (like /healthz) when absent. */
  metricsToken?: string;
  /** Merchant onboarding and admin-issued API keys (/v1/admin); absent, those routes do not exist. */
  admin?: AdminDeps;
  /** Fastify's logger option; off by default. Request logs never include headers or bodies. */
  logger?: FastifyServerOptions['logger'];
}
