// `recur 2c2p rpp-update` and `rpp-cancel` know no plan of their own: each asks 2C2P (RPP inquiry) first and
// sends the plan it reports, with only the flags' fields changed. Checked against a recording fake client.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { money } from '../../src/domain/money.js';
import type { GatewayClient, RecurringPlanTerms } from '../../src/gateway/client.js';
import type { RecurringMaintenanceResponse } from '../../src/gateway/types.js';
import { FlagReader, type FlagValues } from '../../src/cli/flag-reader.js';
import { GATEWAY_OPS } from '../../src/cli/gateway-ops.js';

/** The official inquiry answer of SEED-002, for plan 156142. */
const INQUIRY: RecurringMaintenanceResponse = {
  version: '2.1',
  respCode: '00',
  respReason: 'Inquiry Successful',
  recurringUniqueID: '156142',
  recurringStatus: 'Y',
  invoicePrefix: '030321135205',
  currency: '702',
  amount: '000000009990',
  allowAccumulate: 'N',
  maxAccumulateAmount: '000000001000',
  recurringInterval: '30',
  recurringCount: '12',
  currentCount: '',
  chargeNextDate: '20210307',
};

/** A client that records the order of its calls and what U and C were given. */
function recordingClient(inquiry: () => RecurringMaintenanceResponse = () => INQUIRY) {
  const calls: Array<[string, unknown]> = [];
  const answer = (respReason: string) => ({ respCode: '00', respReason, recurringUniqueID: '156142' });
  const client = {
    recurringInquiry: async (r: unknown) => (calls.push(['recurringInquiry', r]), inquiry()),
    recurringUpdate: async (r: RecurringPlanTerms) => (calls.push(['recurringUpdate', r]), answer('Update Successful')),
    recurringCancel: async (r: RecurringPlanTerms) => (calls.push(['recurringCancel', r]), answer('Cancel Successful')),
  } as unknown as GatewayClient;
  return { client, calls };
}

const build = (op: string, values: FlagValues) => GATEWAY_OPS[op]!.build(new FlagReader(values, 'SGD'));

/** The seed plan as terms: what an update or cancel must send when no flag changes it. */
const SEED_TERMS: RecurringPlanTerms = {
  recurringUniqueID: '156142',
  recurringStatus: 'Y',
  amount: money(9990, 'SGD'),
  allowAccumulate: false,
  maxAccumulateAmount: money(1000, 'SGD'),
  intervalDays: 30,
  count: 12,
  chargeNextDate: new Date('2021-03-07T00:00:00Z'),
};

describe('recur 2c2p rpp-update and rpp-cancel', () => {
  it('when rpp-update changes the amount and the schedule, then it inquires first and sends the rest as reported', async () => {
    const { client, calls } = recordingClient();
    await build('rpp-update', { id: '156142', amount: '49.90', 'charge-on-date': '0104' })(client);
    assert.deepEqual(
      calls.map(([name]) => name),
      ['recurringInquiry', 'recurringUpdate'],
    );
    const { intervalDays: _replaced, ...rest } = SEED_TERMS;
    assert.deepEqual(calls[1]?.[1], { ...rest, amount: money(4990, 'SGD'), chargeOnDate: { day: 1, month: 4 } });
  });

  it('when rpp-update names the status, count and accumulation, then those override the inquiry and nothing else does', async () => {
    const { client, calls } = recordingClient();
    const values = { id: '156142', 'recurring-status': 'N', count: '24', 'allow-accumulate': true };
    await build('rpp-update', values)(client);
    assert.deepEqual(calls[1]?.[1], { ...SEED_TERMS, recurringStatus: 'N', count: 24, allowAccumulate: true });
  });

  it('when rpp-cancel runs, then it inquires first and cancels with the plan the inquiry reported', async () => {
    const { client, calls } = recordingClient();
    await build('rpp-cancel', { id: '156142' })(client);
    assert.deepEqual(calls, [
      ['recurringInquiry', { recurringUniqueID: '156142' }],
      ['recurringCancel', SEED_TERMS],
    ]);
  });

  it('when the inquiry answer lacks the plan status, then neither U nor C is sent', async () => {
    const { client, calls } = recordingClient(() => ({ ...INQUIRY, recurringStatus: '' }));
    await assert.rejects(build('rpp-cancel', { id: '156142' })(client), { code: 'ERR_GATEWAY_PROTOCOL' });
    await assert.rejects(build('rpp-update', { id: '156142', count: '3' })(client), { code: 'ERR_GATEWAY_PROTOCOL' });
    assert.deepEqual(
      calls.map(([name]) => name),
      ['recurringInquiry', 'recurringInquiry'],
    );
  });
});
