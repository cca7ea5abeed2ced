// The API's side of the one plan validation (domain/plan-rules.ts): its problems as a 422 naming the API's fields.
import type { PlanProblem } from '../../domain/plan-rules.js';
import { ProblemError } from '../problem.js';

type DomainField = PlanProblem['field'];

/** The request field of each Plan and DunningPolicy field: amounts are decimal strings named without "Minor". */
const API_FIELDS: Record<DomainField, string> = {
  amountMinor: 'amount',
  currency: 'currency',
  interval: 'interval',
  recurringCount: 'recurringCount',
  firstChargeDate: 'firstChargeDate',
  allowAccumulate: 'allowAccumulate',
  maxAccumulateMinor: 'maxAccumulateAmount',
  'dunning.windowDays': 'dunning.windowDays',
  'dunning.reminders': 'dunning.reminders',
};

/** The API's name of a domain field (`maxAccumulateMinor` → `maxAccumulateAmount`). */
export function apiPlanField(field: DomainField): string {
  return API_FIELDS[field];
}

/** Throws a 422 listing every problem, each named by `name`; returns when there is none. */
export function assertNoPlanProblems(problems: readonly PlanProblem[], name: (field: DomainField) => string): void {
  if (problems.length === 0) return;
  const errors = problems.map((p) => ({ field: name(p.field), reason: p.message }));
  throw new ProblemError({
    kind: 'unprocessable-request',
    detail: errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
    errors,
  });
}
