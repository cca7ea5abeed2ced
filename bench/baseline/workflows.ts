// Bare Temporal workflows the checkout is measured against, on the same dev server: each answers an
// update-with-start the way the subscription workflow answers its checkout, with nothing of Recur in it.
import {
  condition,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type * as activities from './activities.js';

export const checkoutUpdate = defineUpdate<string>('checkout');

const local = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });
const regular = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

/** The floor: the update is answered at once, no activity runs. */
export async function floorWorkflow(): Promise<void> {
  setHandler(checkoutUpdate, () => 'page');
  await sleep('1 day'); // stays open, as a subscription waiting for its first payment does
}

/** The engine's checkout shape: a payment token and a projection write (no-op activities), then the answer. */
export async function bareCheckoutWorkflow(kind: 'local' | 'regular'): Promise<void> {
  const calls = kind === 'local' ? local : regular;
  const answer: { page?: string } = {};
  setHandler(checkoutUpdate, async () => {
    await condition(() => answer.page !== undefined);
    return answer.page as string;
  });
  const token = await calls.noop('payment token');
  await calls.noop('projection row');
  answer.page = token;
  await sleep('1 day');
}
