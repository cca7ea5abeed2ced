// Idempotency-Key on POST and PATCH routes, as Stripe does it: same key and body replay the first answer, another
// body is 422, a duplicate while the first still runs is 409, and a 5xx releases the key for a retry (which the
// workflow then ties to the first attempt through the Update id derived from the key, see ../update-id.ts).
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { abandonIdempotent, beginIdempotent, completeIdempotent } from '../../db/index.js';
import { PROBLEM_CONTENT_TYPE, ProblemError } from '../problem.js';
import type { IdempotentRequest } from '../update-id.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The claimed key (and the request's hash) while a request with an Idempotency-Key runs. */
    idempotency?: IdempotentRequest;
  }
}

/** The header, as Stripe names it. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Methods whose requests change something, so a repeat must not do it twice. */
const IDEMPOTENT_METHODS = new Set(['POST', 'PATCH']);

/** JSON with object keys sorted, so the same body always hashes the same however its keys were ordered. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function requestHash(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? '';
  return createHash('sha256')
    .update(`${request.method} ${path}\n${canonicalJson(request.body ?? null)}`)
    .digest('hex');
}

/** Claims the request's key; true when the answer was already sent (a replay). */
async function claim(pool: pg.Pool, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (!IDEMPOTENT_METHODS.has(request.method)) return false;
  const header = request.headers[IDEMPOTENCY_HEADER];
  if (header === undefined) return false;
  const key = Array.isArray(header) ? undefined : header;
  if (!key || key.length > 255) {
    const reason = 'must be one value of 1 to 255 characters';
    throw new ProblemError({
      kind: 'invalid-request',
      detail: `Idempotency-Key: ${reason}`,
      errors: [{ field: 'Idempotency-Key', reason }],
    });
  }
  const claimed = { merchantId: request.merchantId, key, requestHash: requestHash(request) };
  const outcome = await beginIdempotent(pool, claimed);
  switch (outcome.kind) {
    case 'new':
      request.idempotency = claimed;
      return false;
    case 'replay':
      reply.header('idempotent-replayed', 'true');
      if (outcome.status >= 400) reply.type(PROBLEM_CONTENT_TYPE);
      reply.code(outcome.status).send(outcome.body);
      return true;
    case 'mismatch':
      throw new ProblemError({
        kind: 'idempotency-key-reused',
        detail: 'this Idempotency-Key was first used with another request',
      });
    case 'in_progress':
      throw new ProblemError({
        kind: 'idempotency-key-in-use',
        detail: 'the first request with this Idempotency-Key has not finished; retry later',
      });
  }
}

async function settle(pool: pg.Pool, request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<void> {
  if (!request.idempotency) return;
  const ref = { merchantId: request.idempotency.merchantId, key: request.idempotency.key };
  request.idempotency = undefined;
  try {
    if (reply.statusCode >= 500) {
      await abandonIdempotent(pool, ref);
      return;
    }
    const body = typeof payload === 'string' && payload.length > 0 ? (JSON.parse(payload) as unknown) : null;
    await completeIdempotent(pool, { ...ref, status: reply.statusCode, body });
  } catch (error) {
    // The answer still goes out; the claim expires and a retry then runs the request again.
    request.log.error({ err: error }, 'could not record the Idempotency-Key outcome');
  }
}

/** Adds the Idempotency-Key hooks to an (authenticated) scope: claim before the handler, record on send. */
export function installIdempotency(app: FastifyInstance, pool: pg.Pool): void {
  app.addHook('preHandler', async (request, reply) => {
    // Returning the reply tells Fastify the answer was sent and the handler must not run.
    if (await claim(pool, request, reply)) return reply;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    await settle(pool, request, reply, payload);
    return payload;
  });
}
