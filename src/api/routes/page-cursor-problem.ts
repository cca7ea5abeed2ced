// Runs a list query, answering 400 naming `cursor` when the cursor is not one this API gave out.
import { ProblemError } from '../problem.js';

/** `list()`, with a bad cursor (the repository's RangeError) as a 400 problem naming the field. */
export async function withCursorProblem<T>(list: () => Promise<T>): Promise<T> {
  try {
    return await list();
  } catch (error) {
    if (!(error instanceof RangeError && error.message.startsWith('cursor'))) throw error;
    const reason = 'is not a cursor this API gave out';
    throw new ProblemError({
      kind: 'invalid-request',
      detail: `cursor: ${reason}`,
      errors: [{ field: 'cursor', reason }],
    });
  }
}
