// The API's error and not-found handlers: every failure leaves as an RFC 9457 problem document.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, ProblemError, type FieldError, type ProblemKind } from '../problem.js';
import { problemFromTemporal } from '../temporal-errors.js';
import { fieldName, type SchemaViolation } from '../validator-compiler.js';

/**
 * Fastify's own request errors by code. BAD_URL and MAX_PARAM_LENGTH get details of their own because Fastify's
 * messages repeat the path, which may be thousands of characters; the others describe the request and are kept.
 */
const FASTIFY_PROBLEMS: Record<string, { kind: ProblemKind; detail?: string }> = {
  FST_ERR_BAD_URL: { kind: 'malformed-request', detail: 'the path is not a valid URL (a malformed percent escape)' },
  FST_ERR_MAX_PARAM_LENGTH: { kind: 'uri-too-long', detail: 'a path parameter is longer than the API accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { kind: 'unsupported-media-type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { kind: 'payload-too-large' },
};

/** Other 4xx errors (Fastify's or a plugin's) by status; any status not listed answers 400 malformed-request. */
const KINDS_BY_STATUS: Record<number, ProblemKind> = {
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
};

/** Methods a path may answer, for the Allow header of a 405 (HEAD comes with each GET route). */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

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
  const known = fastifyError.code ? FASTIFY_PROBLEMS[fastifyError.code] : undefined;
  // Fastify's messages describe the request (unparsable JSON, unsupported media type), never secrets.
  if (known)
    return new ProblemError({ kind: known.kind, detail: known.detail ?? fastifyError.message ?? 'bad request' });
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ProblemError({
      kind: KINDS_BY_STATUS[status] ?? 'malformed-request',
      detail: fastifyError.message || 'malformed request',
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

/**
 * Answers any error with its problem document, logging 5xx as errors; the error handler and Fastify's
 * `frameworkErrors` (a bad URL or an overlong path parameter, raised before any route is found) both use it.
 */
export function answerWithProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error);
  if (problem.status >= 500) request.log.error({ err: problem.cause ?? error, problem: problem.code }, problem.message);
  else request.log.info({ problem: problem.code, status: problem.status }, problem.message);
  return sendProblem(reply, problem);
}

/** The methods other than the request's that a route of this path answers (Fastify itself answers 404). */
function otherMethods(app: FastifyInstance, request: FastifyRequest): string[] {
  const url = request.url.split('?')[0] ?? '';
  return METHODS.filter((method) => method !== request.method && app.findRoute({ method, url }) !== null);
}

/** Installs the error and not-found handlers on the root instance (children inherit them). */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler(answerWithProblem);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = otherMethods(app, request);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      const detail = `${path} does not answer ${request.method}; it answers ${allowed.join(', ')}`;
      return sendProblem(reply, new ProblemError({ kind: 'method-not-allowed', detail }));
    }
    return sendProblem(reply, new ProblemError({ kind: 'not-found', detail: `no route ${request.method} ${path}` }));
  });
}
