// Workflow Update ids from the Idempotency-Key: stable for a retried request, distinct for anything else.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { workflowUpdateId } from '../../src/api/update-id.js';

const request = { merchantId: 'MERCHANTA01', key: 'idem-1', requestHash: 'a'.repeat(64) };

describe('workflowUpdateId', () => {
  it('when a request carries an Idempotency-Key, then its id is the operation and 32 hex digits of the SHA-256', () => {
    const digest = createHash('sha256')
      .update(`MERCHANTA01\0idem-1\0${'a'.repeat(64)}`)
      .digest('hex');
    assert.equal(workflowUpdateId('cancel', request), `cancel-${digest.slice(0, 32)}`);
    assert.match(workflowUpdateId('changePlan', request) ?? '', /^changePlan-[0-9a-f]{32}$/);
  });

  it('when the same request is retried, then it gets the same id', () => {
    assert.equal(workflowUpdateId('refund', { ...request }), workflowUpdateId('refund', request));
  });

  it('when the merchant, key, body or operation differs, then the id differs', () => {
    const ids = [
      workflowUpdateId('refund', request),
      workflowUpdateId('refund', { ...request, merchantId: 'MERCHANTB02' }),
      workflowUpdateId('refund', { ...request, key: 'idem-2' }),
      workflowUpdateId('refund', { ...request, requestHash: 'b'.repeat(64) }),
      workflowUpdateId('cancel', request),
      // The separator keeps "ab" + "c" from meeting "a" + "bc".
      workflowUpdateId('refund', { ...request, merchantId: 'MERCHANTA0', key: `1${request.key}` }),
    ];
    assert.equal(new Set(ids).size, ids.length);
  });

  it('when there is no Idempotency-Key, then there is no id (Temporal generates one)', () => {
    assert.equal(workflowUpdateId('retry', undefined), undefined);
  });

  it('when the operation is not a camelCase word, then it throws a TypeError', () => {
    assert.throws(() => workflowUpdateId('', request), TypeError);
    assert.throws(() => workflowUpdateId('cancel-now', request), TypeError);
  });
});
