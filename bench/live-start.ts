// The start of the live-subscriptions benchmark: N monthly subscriptions created over HTTP at a fixed
// concurrency, each first payment approved on the sandbox's page, until PostgreSQL lists every one active.
import type pg from 'pg';
import type { ChaosEngine } from '../scripts/chaos/engine.js';
import { apiClient, approveOnPage, inBatches } from '../scripts/chaos/http.js';
import { addDays, calendarDate, parseCalendarDate } from '../src/domain/calendar-date.js';
import { summarize } from './latency.js';
import { LiveBenchError, statusCounts, type WaitOptions, waitForCount } from './live-database.js';

export interface StartFigures {
  /** From the first create to every subscription active in PostgreSQL. */
  startSeconds: number;
  /** Creates answered per second (each lane pays its subscription before the next create). */
  createsPerSecond: number;
  activePerSecond: number;
  createP50Ms: number;
  createP99Ms: number;
}

export interface StartOptions extends WaitOptions {
  subscriptions: number;
  concurrency: number;
  firstChargeDate: string;
  describeStatuses(): Promise<string>;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** The first 1st of a month at least 30 days after `today`: every plan's first recurring charge falls on it. */
export function firstChargeDateAfter(today: string): string {
  const earliest = parseCalendarDate(addDays(today, 30));
  if (earliest.day === 1) return calendarDate(earliest.year, earliest.month, 1);
  return earliest.month === 12
    ? calendarDate(earliest.year + 1, 1, 1)
    : calendarDate(earliest.year, earliest.month + 1, 1);
}

/** Creates and pays every subscription, `concurrency` at a time, and waits until all are active. */
export async function startPaidSubscriptions(
  engine: ChaosEngine,
  db: pg.Pool,
  options: StartOptions,
): Promise<StartFigures> {
  const api = apiClient(engine.apiUrl, engine.apiKey);
  const latenciesMs: number[] = [];
  let createsDoneAt = 0;
  const startedAt = Date.now();
  const indexes = Array.from({ length: options.subscriptions }, (_, i) => i);
  await inBatches(indexes, options.concurrency, async (index) => {
    const body = {
      customerId: `cust_live_${index}`,
      description: `live bench #${index}`,
      plan: {
        amount: '29.90',
        currency: 'SGD',
        interval: { dayOfMonth: 1 },
        recurringCount: 12,
        firstChargeDate: options.firstChargeDate,
      },
    };
    const sent = performance.now();
    const created = await api('POST', '/v1/subscriptions', body, { 'idempotency-key': `live-${index}` });
    latenciesMs.push(performance.now() - sent);
    createsDoneAt = Date.now();
    if (created.status !== 201) {
      throw new LiveBenchError(`create #${index}: HTTP ${created.status} ${JSON.stringify(created.body)}`);
    }
    const paid = await approveOnPage(created.body.webPaymentUrl as string);
    if (paid >= 400) throw new LiveBenchError(`create #${index}: the payment page answered ${paid}`);
  });
  options.log(`created and paid ${options.subscriptions} in ${round((createsDoneAt - startedAt) / 1000)} s`);
  const activeAt = await waitForCount(
    'active',
    options.subscriptions,
    async () => (await statusCounts(db, engine.merchantId)).active ?? 0,
    options.describeStatuses,
    options,
  );
  const creates = summarize(latenciesMs);
  return {
    startSeconds: round((activeAt - startedAt) / 1000),
    createsPerSecond: round(options.subscriptions / ((createsDoneAt - startedAt) / 1000)),
    activePerSecond: round(options.subscriptions / ((activeAt - startedAt) / 1000)),
    createP50Ms: creates.p50Ms,
    createP99Ms: creates.p99Ms,
  };
}
