// The API's error and not-found handlers: every failure leaves as an RFC 9457 problem document.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, ProblemError, type FieldError, type ProblemKind } from '../problem.js';
import { problemFromTemporal } from '../temporal-errors.js';
import { fieldName, type SchemaViolation } from '../validator-compiler.js';

/** Fastify's own 4xx errors (bad JSON, wrong media type, body too large) by status. */
const FASTIFY_KINDS: Record<number, ProblemKind> = { 413: 'payload-too-large' };

/** Socket errors and PostgreSQL SQLSTATEs that mean the database cannot be reached or is shutting down. */
const DATABASE_UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** Whether an error says PostgreSQL could not be reached (as opposed to a bad query). */
function isDatabaseUnreachable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && DATABASE_UNREACHABLE.has(code)) return true;
  return (
    typeof message === 'string' && /^(Connection terminated|timeout exceeded when trying to connect)/.test(message)
  );
}

/** The problem for a request that failed schema validation, naming each field. */
function fromValidation(error: FastifyError): ProblemError {
  const part = error.validationContext ?? 'body';
  const violations = (error.validation ?? []) as unknown as SchemaViolation[];
  const errors: FieldError[] = violations.map((v) => ({ field: fieldName(v.instancePath, part), reason: v.message }));
  const detail = errors.map((e) => `${e.field}: ${e.reason}`).join('; ') || `the ${part} is invalid`;
  return new ProblemError({ kind: 'invalid-request', detail, errors });
}

/** Classifies any thrown value as the problem to answer with. */
export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) return fromValidation(error as FastifyError);
  const temporal = problemFromTemporal(error);
  if (temporal) return temporal;
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && fastifyError.code?.startsWith('FST_')) {
    // Fastify's messages describe the request (unparsable JSON, unsupported media type), never secrets.
    return new ProblemError({
      kind: FASTIFY_KINDS[status] ?? 'malformed-request',
      detail: fastifyError.message ?? 'malformed request',
    });
  }
  if (isDatabaseUnreachable(error))
    return new ProblemError({ kind: 'unavailable', detail: 'the database is unavailable; retry later', cause: error });
  return new ProblemError({ kind: 'internal', detail: 'the request could not be completed', cause: error });
}

/** Sends a problem document. */
export function sendProblem(reply: FastifyReply, problem: ProblemError): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem.toDocument());
}

/** Installs the error and not-found handlers on the root instance (children inherit them). */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const problem = toProblem(error);
    if (problem.status >= 500)
      request.log.error({ err: problem.cause ?? error, problem: problem.code }, problem.message);
    else request.log.info({ problem: problem.code, status: problem.status }, problem.message);
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      new ProblemError({ kind: 'not-found', detail: `no route ${request.method} ${request.url.split('?')[0]}` }),
    ),
  );
}
