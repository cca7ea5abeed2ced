// Fault injection bookkeeping: arming, matching by operation, counting down, clearing, and the JSON form.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFaultSpec } from '../../../src/sandbox/fault-spec.js';
import { SandboxFaults } from '../../../src/sandbox/faults.js';

describe('sandbox faults', () => {
  it('when a fault is armed for one operation, then only that operation consumes it, count times', () => {
    const faults = new SandboxFaults();
    faults.http5xx({ operation: 'refund', count: 2, status: 502 });
    assert.equal(faults.takeRequestFault('inquiry'), undefined);
    assert.equal(faults.takeRequestFault('refund')?.status, 502);
    assert.equal(faults.takeRequestFault('refund')?.kind, 'http5xx');
    assert.equal(faults.takeRequestFault('refund'), undefined);
  });

  it('when a fault has no operation, then any request consumes it, in arming order', () => {
    const faults = new SandboxFaults();
    faults.garbage();
    faults.timeout({ holdMs: 10 });
    assert.equal(faults.takeRequestFault(undefined)?.kind, 'garbage');
    assert.equal(faults.takeRequestFault('paymentToken')?.kind, 'timeout');
    assert.deepEqual(faults.snapshot().requests, []);
  });

  it('when charges are declined for one plan, then other plans are charged normally', () => {
    const faults = new SandboxFaults();
    faults.declineNextCharge({ recurringUniqueID: '123', respCode: '4005' });
    assert.equal(faults.takeChargeDecline('999'), undefined);
    assert.equal(faults.takeChargeDecline('123'), '4005');
    assert.equal(faults.takeChargeDecline('123'), undefined);
  });

  it('when faults are given bad input, then RangeError and nothing is armed', () => {
    const faults = new SandboxFaults();
    assert.throws(() => faults.http5xx({ status: 404 }), RangeError);
    assert.throws(() => faults.timeout({ count: 0 }), RangeError);
    assert.throws(() => faults.declineNextPayment({ respCode: '0000' }), RangeError);
    assert.throws(() => faults.garbage({ operation: 'nope' as never }), RangeError);
    assert.throws(() => faults.setLatency(-1), RangeError);
    assert.deepEqual(faults.snapshot().requests, []);
  });

  it('when a JSON list contains one bad fault, then none of the list is armed', () => {
    const faults = new SandboxFaults();
    assert.throws(() => applyFaultSpec(faults, [{ type: 'garbage' }, { type: 'explode' }]), TypeError);
    assert.deepEqual(faults.snapshot().requests, []);
    applyFaultSpec(faults, [
      { type: 'latency', ms: 5 },
      { type: 'wrongSignature', operation: 'void' },
      { type: 'busy', operation: 'paymentInquiry', count: 2 },
      { type: 'dropNextNotification', count: 2 },
      { type: 'refundPending' },
    ]);
    const snap = faults.snapshot();
    assert.equal(snap.latencyMs, 5);
    assert.equal(snap.requests[0]?.kind, 'wrongSignature');
    assert.deepEqual(
      [snap.requests[1]?.kind, snap.requests[1]?.operation, snap.requests[1]?.remaining, snap.requests[1]?.applied],
      ['transientCode', 'paymentInquiry', 2, false],
    );
    assert.equal(snap.notifications.dropNext, 2);
    assert.equal(snap.refundPending, 1);
    faults.clear();
    assert.equal(faults.snapshot().latencyMs, 0);
    assert.equal(faults.takeDrop(), false);
  });
});
