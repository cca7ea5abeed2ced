// Webhook delivery latency on the dev stack: from an event's createdAt to its arrival at the dev receiver, for the
// events of SUBSCRIPTIONS subscriptions started and paid over HTTP. `tsx bench/webhook-latency.ts [SUBSCRIPTIONS]`.
import { addDays, toCalendarDate } from '../src/domain/calendar-date.js';
import { withBenchStack } from './bench-stack.js';

const count = Number(process.argv[2] ?? 20);
await withBenchStack('webhook-bench', async (stack) => {
  const firstChargeDate = addDays(toCalendarDate(stack.sandbox!.clock.now().getTime()), 30);
  for (let i = 0; i < count; i += 1) {
    const created = await fetch(`${stack.apiUrl}/v1/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId: `cust_${i}`,
        description: 'bench',
        plan: { amount: '9.90', currency: 'SGD', interval: { days: 30 }, recurringCount: 3, firstChargeDate },
      }),
    });
    const { webPaymentUrl } = (await created.json()) as { webPaymentUrl: string };
    await fetch(webPaymentUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=approve',
    });
  }
  // Each subscription makes three events: created, charge.succeeded, activated.
  let report: { latency: { count: number; p50Ms: number; p99Ms: number } } | undefined;
  for (let waited = 0; waited < 120_000; waited += 500) {
    report = (await (await fetch(stack.webhooks.url)).json()) as typeof report;
    if ((report?.latency.count ?? 0) >= 3 * count) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log(JSON.stringify({ subscriptions: count, ...report?.latency }));
});
