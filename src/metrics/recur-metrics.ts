// Recur's Prometheus metrics: one registry per process, every metric defined once, named by Prometheus
// conventions (recur_ prefix, _total counters, _seconds histograms, base units, bounded label values).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prefix of every Recur metric, the Node.js defaults included. */
export const METRIC_PREFIX = 'recur_';

/** Latency buckets of an API request, in seconds: most answer in milliseconds, a checkout waits on 2C2P. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Latency buckets of one 2C2P exchange, in seconds, up to the client's 15 s default timeout and beyond. */
const GATEWAY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

/** Subscriptions per status, as the database counts them when the gauge is scraped. */
export type SubscriptionCounter = () => Promise<ReadonlyArray<{ status: string; count: number }>>;

/** Every Recur metric, registered in `registry`. */
export interface RecurMetrics {
  readonly registry: Registry;
  /** API requests answered, by method, route pattern (never the raw URL) and status code. */
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  /** 2C2P exchanges, by operation and result (2C2P's respCode, or the error code of a failed exchange). */
  readonly gatewayCalls: Counter<'operation' | 'result'>;
  readonly gatewayCallDuration: Histogram<'operation'>;
  /** Charges as first recorded (or finalised), by outcome (succeeded, declined) and kind (initial, recurring, dunning). */
  readonly charges: Counter<'outcome' | 'kind'>;
  /** Refund rows reaching a status (requested, waiting_settlement, pending, succeeded, failed). */
  readonly refunds: Counter<'status'>;
  /** How dunning ended: recovered (the overdue charge was paid) or unpaid (the subscription ended unpaid). */
  readonly dunningOutcomes: Counter<'outcome'>;
  /** Outgoing webhook delivery attempts, by result (webhookDeliveryResult); the delivery activity increments it. */
  readonly webhookDeliveries: Counter<'result'>;
  /** Subscriptions by status, counted in PostgreSQL at scrape time (see countSubscriptionsWith). */
  readonly subscriptions: Gauge<'status'>;
  /** Collectors that failed during a scrape, by collector; their metrics are left without samples. */
  readonly collectErrors: Counter<'collector'>;
  /**
   * Sets where the subscriptions gauge reads its counts (the last caller wins); the function returned
   * removes it again, unless another has replaced it since.
   */
  countSubscriptionsWith(counter: SubscriptionCounter): () => void;
}

export interface RecurMetricsOptions {
  /** A registry of its own (a test's); a new one when absent. */
  registry?: Registry;
  /** Whether the registry also gets Node.js's process metrics (recur_process_*, recur_nodejs_*); default true. */
  defaultMetrics?: boolean;
}

/** Defines every Recur metric in a registry. Each registry can hold them once. */
export function createRecurMetrics(options: RecurMetricsOptions = {}): RecurMetrics {
  const registry = options.registry ?? new Registry();
  const registers = [registry];
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });

  let counter: SubscriptionCounter | undefined;
  let counting: Promise<void> = Promise.resolve();
  const subscriptions = new Gauge({
    name: `${METRIC_PREFIX}subscriptions`,
    help: 'Subscriptions by status, counted in PostgreSQL when scraped.',
    labelNames: ['status'] as const,
    registers,
    collect() {
      this.reset();
      counting = countInto(this);
      return counting;
    },
  });
  // Registered after the gauge, so a scrape collects it after the gauge's count has started, and it waits for
  // that count: a failure shows in the same scrape.
  const collectErrors = new Counter({
    name: `${METRIC_PREFIX}metrics_collect_errors_total`,
    help: 'Collectors that failed during a scrape (their metrics have no samples in that scrape).',
    labelNames: ['collector'] as const,
    registers,
    collect: () => counting,
  });
  async function countInto(gauge: Gauge<'status'>): Promise<void> {
    if (!counter) return;
    try {
      for (const { status, count } of await counter()) gauge.set({ status }, count);
    } catch {
      // A database that does not answer must not take the other metrics of the scrape down with it.
      collectErrors.inc({ collector: 'subscriptions' });
    }
  }

  return {
    registry,
    httpRequests: new Counter({
      name: `${METRIC_PREFIX}http_requests_total`,
      help: 'HTTP requests answered by the API, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: `${METRIC_PREFIX}http_request_duration_seconds`,
      help: 'Time from receiving an API request to sending its answer, in seconds.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: HTTP_BUCKETS,
      registers,
    }),
    gatewayCalls: new Counter({
      name: `${METRIC_PREFIX}gateway_calls_total`,
      help: "2C2P exchanges by operation and result: 2C2P's response code, or the error code when no answer was read.",
      labelNames: ['operation', 'result'] as const,
      registers,
    }),
    gatewayCallDuration: new Histogram({
      name: `${METRIC_PREFIX}gateway_call_duration_seconds`,
      help: 'Duration of one 2C2P exchange (request, answer and its decoding), in seconds.',
      labelNames: ['operation'] as const,
      buckets: GATEWAY_BUCKETS,
      registers,
    }),
    charges: new Counter({
      name: `${METRIC_PREFIX}charges_total`,
      help: 'Charges recorded, by outcome (succeeded, declined) and kind (initial, recurring, dunning).',
      labelNames: ['outcome', 'kind'] as const,
      registers,
    }),
    refunds: new Counter({
      name: `${METRIC_PREFIX}refunds_total`,
      help: 'Refunds reaching a status (requested, waiting_settlement, pending, succeeded, failed).',
      labelNames: ['status'] as const,
      registers,
    }),
    dunningOutcomes: new Counter({
      name: `${METRIC_PREFIX}dunning_outcomes_total`,
      help: 'Dunning that ended: recovered (the overdue charge was paid) or unpaid (the subscription ended unpaid).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    webhookDeliveries: new Counter({
      name: `${METRIC_PREFIX}webhook_deliveries_total`,
      help: 'Outgoing webhook delivery attempts, by result.',
      labelNames: ['result'] as const,
      registers,
    }),
    subscriptions,
    collectErrors,
    countSubscriptionsWith(next) {
      counter = next;
      return () => {
        if (counter === next) counter = undefined;
      };
    },
  };
}

let processWide: RecurMetrics | undefined;

/**
 * The process's metrics, created on first use. The API and the worker share them when they run in one
 * process (`npm run dev`), so each metric is defined once and both endpoints show the same registry.
 */
export function processMetrics(): RecurMetrics {
  processWide ??= createRecurMetrics();
  return processWide;
}
