// The due day of the live-subscriptions benchmark: one test-clock advance makes every subscription's charge
// fall due at once; measures how soon each charge (and the notification that brought it) reaches PostgreSQL.
import type pg from 'pg';
import { fetchWithoutTimeLimit } from '../src/api/long-request.js';
import { summarize } from './latency.js';
import {
  checkOneChargeEach,
  LiveBenchError,
  recurringChargeCount,
  recurringChargeTimes,
  type WaitOptions,
  waitForCount,
} from './live-database.js';

/** The due day's figures; delays are counted from the wall-clock moment the advance request was sent. */
export interface DueDayFigures {
  /** Recurring charges recorded per second, from the advance request to the last charge stored. */
  chargesPerSecond: number;
  recordedAllSeconds: number;
  /** From the advance request to the charge's row (its insertion time, PostgreSQL's clock on this machine). */
  dueToRecordedP50Ms: number;
  dueToRecordedP99Ms: number;
  dueToRecordedMaxMs: number;
  /** The same to the notification's row: the sandbox's and the API's share of the delay. */
  dueToNotifiedP50Ms: number;
  dueToNotifiedP99Ms: number;
  /** From the notification's row to the charge's: the workflow's share (signal, task, activity). */
  notifiedToRecordedP50Ms: number;
  notifiedToRecordedP99Ms: number;
  /** How long POST /v1/test-clock/advance took: the sandbox's charges and notifications, then the signals. */
  advanceSeconds: number;
  subscriptionsSignalled: number;
  /** Why the advance failed, when it did (null when it answered 200); the charges are measured all the same. */
  advanceFailure: string | null;
}

export interface DueDayOptions extends WaitOptions {
  apiUrl: string;
  apiKey: string;
  merchantId: string;
  subscriptions: number;
  /** The instant to move the test clock to: just past the charges' due time. */
  to: Date;
  describeStatuses(): Promise<string>;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** POST with no client-side time limit (fetch gives up on headers after 300 s; an advance may take longer). */
async function postJson(url: string, body: unknown, apiKey: string): Promise<{ status: number; body: string }> {
  const response = await fetchWithoutTimeLimit(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.text() };
}

/** Advances the test clock, waits until every subscription has its recurring charge, and checks each has one. */
export async function measureDueDay(db: pg.Pool, options: DueDayOptions): Promise<DueDayFigures> {
  const sentAt = Date.now();
  let advanceFailure: string | undefined;
  const failed = (why: string) => {
    // The charges may still arrive (the sandbox sends them before the API signals): keep measuring them.
    advanceFailure = `test-clock advance ${why} after ${Date.now() - sentAt} ms`;
    options.log(advanceFailure);
    return { subscriptions: 0, at: Date.now() };
  };
  const advancing = postJson(`${options.apiUrl}/v1/test-clock/advance`, { to: options.to }, options.apiKey).then(
    (answer) =>
      answer.status === 200
        ? { subscriptions: (JSON.parse(answer.body) as { subscriptions: number }).subscriptions, at: Date.now() }
        : failed(`answered HTTP ${answer.status} ${answer.body}`),
    (error: unknown) => failed(`failed (${error instanceof Error ? error.message : String(error)})`),
  );
  await waitForCount(
    'recurring charges',
    options.subscriptions,
    () => recurringChargeCount(db, options.merchantId),
    async () => `${advanceFailure ?? 'advance still running or answered 200'}; ${await options.describeStatuses()}`,
    options,
  );
  const advance = await advancing;
  const rows = await recurringChargeTimes(db, options.merchantId);
  checkOneChargeEach(rows, options.subscriptions);

  const notified = rows.flatMap((r) => (r.notifiedAtMs === null ? [] : [{ ...r, notifiedAtMs: r.notifiedAtMs }]));
  // Before the inquiry grace every charge can only have come by notification.
  if (notified.length === 0) throw new LiveBenchError('no recurring charge was recorded from a notification');
  const toRecorded = summarize(rows.map((r) => r.recordedAtMs - sentAt));
  const toNotified = summarize(notified.map((r) => r.notifiedAtMs - sentAt));
  const notifiedToRecorded = summarize(notified.map((r) => r.recordedAtMs - r.notifiedAtMs));
  const recordedAllSeconds = (Math.max(...rows.map((r) => r.recordedAtMs)) - sentAt) / 1000;
  return {
    chargesPerSecond: round(options.subscriptions / recordedAllSeconds),
    recordedAllSeconds: round(recordedAllSeconds),
    dueToRecordedP50Ms: toRecorded.p50Ms,
    dueToRecordedP99Ms: toRecorded.p99Ms,
    dueToRecordedMaxMs: toRecorded.maxMs,
    dueToNotifiedP50Ms: toNotified.p50Ms,
    dueToNotifiedP99Ms: toNotified.p99Ms,
    notifiedToRecordedP50Ms: notifiedToRecorded.p50Ms,
    notifiedToRecordedP99Ms: notifiedToRecorded.p99Ms,
    advanceSeconds: round((advance.at - sentAt) / 1000),
    subscriptionsSignalled: advance.subscriptions,
    advanceFailure: advanceFailure ?? null,
  };
}
