// HTTP for the chaos driver: the API with the run's key, the sandbox's control API and its payment page.
// A request the API did not answer (restarting, 5xx) is sent again with the same Idempotency-Key, as a
// careful client would; every answer is counted.

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read field by field
  body: any;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Counts of what the driver sent and got back. */
export const traffic = { requests: 0, retried: 0, byStatus: {} as Record<string, number> };

async function send(url: string, init: RequestInit, attempts: number): Promise<Answer> {
  for (let attempt = 1; ; attempt += 1) {
    traffic.requests += 1;
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
      const text = await response.text();
      traffic.byStatus[response.status] = (traffic.byStatus[response.status] ?? 0) + 1;
      if (response.status >= 500 && attempt < attempts) throw new Error(`HTTP ${response.status}`);
      let body: unknown = {};
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        body = { text };
      }
      return { status: response.status, body };
    } catch (error) {
      if (attempt >= attempts) throw error;
      traffic.retried += 1;
      await wait(Math.min(5000, 250 * attempt));
    }
  }
}

/** The API, with retries while it is down or answers 5xx (the same headers each time, so the same key). */
export function apiClient(apiUrl: string, apiKey: string) {
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
    send(
      `${apiUrl}${path}`,
      {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      40,
    );
}

/** The sandbox's /_sandbox control API. */
export function sandboxClient(sandboxUrl: string) {
  return (method: string, path: string, body?: unknown): Promise<Answer> =>
    send(
      `${sandboxUrl}/_sandbox${path}`,
      {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      5,
    );
}

/** Approves a payment on the sandbox's hosted page as a browser would, with the stored card if given. */
export async function approveOnPage(webPaymentUrl: string, customerToken?: string): Promise<number> {
  const answer = await send(
    webPaymentUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'approve', ...(customerToken ? { customerToken } : {}) }).toString(),
    },
    5,
  );
  return answer.status;
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function inBatches<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
