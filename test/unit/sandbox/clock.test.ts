// The virtual clock: due work runs in time order, at its own time, and delivery finishes before advance resolves.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VirtualClock, type ClockHooks } from '../../../src/sandbox/clock.js';
import type { OutgoingNotification } from '../../../src/sandbox/notifier.js';

function fakeNotification(invoiceNo: string, at: Date): OutgoingNotification {
  return {
    kind: 'recurring',
    merchantId: 'M1',
    url: undefined,
    invoiceNo,
    respCode: '0000',
    at,
    content: {},
    encode: async () => ({ contentType: 'application/json', body: '{}' }),
  };
}

function scheduleOf(times: string[], hold = false) {
  const pending = times.map((t) => new Date(t));
  const ran: string[] = [];
  const delivered: string[][] = [];
  const hooks: ClockHooks = {
    onAdvance: () => [],
    nextDueAt: () => pending.sort((a, b) => a.getTime() - b.getTime())[0],
    runDue: (at) => {
      const due = pending.filter((d) => d.getTime() <= at.getTime());
      for (const d of due) pending.splice(pending.indexOf(d), 1);
      ran.push(at.toISOString());
      return due.map((d) => fakeNotification(d.toISOString(), at));
    },
    deliver: async (batch) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      delivered.push(batch.map((n) => n.invoiceNo));
    },
    holdBatch: () => hold,
  };
  return { hooks, ran, delivered };
}

describe('sandbox virtual clock', () => {
  it('when time advances past several due times, then each runs at its own time, in order, delivered before resolve', async () => {
    const s = scheduleOf(['2025-03-01T00:00:00Z', '2025-02-01T00:00:00Z', '2025-05-01T00:00:00Z']);
    const clock = new VirtualClock(new Date('2025-01-15T00:00:00Z'), s.hooks);
    await clock.advanceTo(new Date('2025-04-01T00:00:00Z'));
    assert.deepEqual(s.ran, ['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z']);
    assert.deepEqual(s.delivered, [['2025-02-01T00:00:00.000Z'], ['2025-03-01T00:00:00.000Z']]);
    assert.equal(clock.now().toISOString(), '2025-04-01T00:00:00.000Z');
  });

  it('when notifications are held as one batch, then they are delivered once at the end', async () => {
    const s = scheduleOf(['2025-01-02T00:00:00Z', '2025-01-03T00:00:00Z'], true);
    const clock = new VirtualClock(new Date('2025-01-01T00:00:00Z'), s.hooks);
    await clock.advance(3 * 86_400_000);
    assert.equal(s.delivered.length, 1);
    assert.equal(s.delivered[0]?.length, 2);
  });

  it('when two advances are requested at once, then the second counts from where the first ended', async () => {
    const s = scheduleOf([]);
    const clock = new VirtualClock(new Date('2025-01-01T00:00:00Z'), s.hooks);
    await Promise.all([clock.advance(1000), clock.advance(1000)]);
    assert.equal(clock.now().toISOString(), '2025-01-01T00:00:02.000Z');
  });

  it('when asked to go back in time or by a negative amount, then it refuses with RangeError', async () => {
    const clock = new VirtualClock(new Date('2025-01-01T00:00:00Z'), scheduleOf([]).hooks);
    await assert.rejects(clock.advanceTo(new Date('2024-12-31T00:00:00Z')), RangeError);
    await assert.rejects(clock.advance(-1), RangeError);
    assert.equal(clock.now().toISOString(), '2025-01-01T00:00:00.000Z');
  });
});
