// GET /v1/test-clock and POST /v1/test-clock/advance: registered only in a sandbox deployment.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { responses } from '../schemas/common.js';
import type { TestClock } from '../test-clock.js';
import { advanceTestClock } from '../use-cases/advance-test-clock.js';
import type { ApiDeps } from '../deps.js';
import { SECURED } from './route-docs.js';

const ClockNow = Type.Object({ now: Type.String({ format: 'date-time' }) });
const Advance = Type.Object(
  {
    to: Type.Optional(Type.String({ description: 'an ISO 8601 date-time to move to' })),
    by: Type.Optional(Type.String({ description: 'how far to move: 30d, 12h or 90m' })),
  },
  { additionalProperties: false },
);

/** Registers the test clock routes (in the authenticated scope). */
export function testClockRoutes(app: FastifyInstance, deps: ApiDeps & { testClock: TestClock }): void {
  app.get(
    '/v1/test-clock',
    { schema: { ...SECURED, summary: 'Now on the test clock (sandbox only)', response: responses({ 200: ClockNow }) } },
    async () => ({ now: (await deps.testClock.now()).toISOString() }),
  );
  app.post<{ Body: Static<typeof Advance> }>(
    '/v1/test-clock/advance',
    {
      schema: {
        ...SECURED,
        summary: 'Move the test clock forward (sandbox only)',
        description:
          'Moves the sandbox clock (due charges, settlements and notifications happen), then tells every running ' +
          'subscription, whose renewals, grace periods, dunning windows and refunds then proceed as if the time had passed.',
        body: Advance,
        response: responses({ 200: Type.Object({ now: Type.String(), subscriptions: Type.Integer() }) }),
      },
    },
    async (request) =>
      advanceTestClock({ temporal: deps.temporal, pool: deps.pool, testClock: deps.testClock }, request.body),
  );
}
