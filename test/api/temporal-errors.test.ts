// How a workflow's refusal of an Update becomes the problem the caller sees: status, type and the field named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { toProblem } from '../../src/api/plugins/problem-handler.js';
import { WorkflowFailureType } from '../../src/workflows/definitions.js';

/** The error the client throws when the workflow refused an Update with `type` and `details`. */
function refused(type: string, message: string, details?: unknown[]): WorkflowUpdateFailedError {
  return new WorkflowUpdateFailedError('update failed', ApplicationFailure.create({ type, message, details }));
}

describe('workflow refusals as problems', () => {
  it('when the workflow refuses a request naming a field, then the 422 names that field', () => {
    const problem = toProblem(
      refused(WorkflowFailureType.invalidRequest, 'refund of 1000 exceeds the 990 left refundable on INV1', [
        { field: 'amount' },
      ]),
    );
    const document = problem.toDocument();
    assert.equal(document.status, 422);
    assert.equal(document.type, '/problems/unprocessable-request');
    assert.deepEqual(
      document.errors?.map((e) => e.field),
      ['amount'],
    );
  });

  it('when the workflow refuses a request without a field, then the 422 carries no errors list', () => {
    const document = toProblem(refused(WorkflowFailureType.invalidRequest, 'not now')).toDocument();
    assert.equal(document.status, 422);
    assert.equal(document.errors, undefined);
  });

  it('when the workflow refuses for its state, then it answers 409 /problems/state-conflict', () => {
    const document = toProblem(refused(WorkflowFailureType.invalidState, 'already cancelled')).toDocument();
    assert.equal(document.status, 409);
    assert.equal(document.type, '/problems/state-conflict');
  });
});
