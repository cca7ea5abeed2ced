// GET /healthz (the process answers) and GET /readyz (Temporal and PostgreSQL answer too).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { checkReadiness } from '../use-cases/check-readiness.js';

const Check = Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]);
const ReadyAnswer = Type.Object({ ready: Type.Boolean(), checks: Type.Object({ temporal: Check, postgres: Check }) });

/** Registers the health routes (no API key). */
export function healthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'The process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({
      status: 'ok' as const,
    }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Temporal and PostgreSQL are reachable (503 when not)',
        response: { 200: ReadyAnswer, 503: ReadyAnswer },
      },
    },
    async (_request, reply) => {
      const readiness = await checkReadiness(deps.temporal, deps.pool);
      return reply.code(readiness.ready ? 200 : 503).send(readiness);
    },
  );
}
