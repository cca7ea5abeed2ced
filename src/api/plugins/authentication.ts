// Bearer API keys: every /v1 route but the 2C2P notifications needs one, and it names the one merchant served.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type pg from 'pg';
import { findMerchantByApiKey } from '../../db/index.js';
import { isAdminKey } from '../admin-api-key.js';
import { ProblemError } from '../problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The merchant of the request's API key; set by the authentication hook. */
    merchantId: string;
  }
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

function unauthorized(reply: FastifyReply, detail: string): ProblemError {
  reply.header('www-authenticate', 'Bearer realm="recur"');
  return new ProblemError({ kind: 'unauthorized', detail });
}

/** An onRequest hook that resolves the bearer key to its merchant, or answers 401 (the key is never logged). */
export function authenticate(pool: pg.Pool, adminKey?: string): onRequestAsyncHookHandler {
  return async function authenticateRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    if (!header) throw unauthorized(reply, 'send the API key as "Authorization: Bearer <key>"');
    const key = BEARER.exec(header)?.[1];
    if (!key) throw unauthorized(reply, 'the Authorization header must be "Bearer <key>"');
    // The admin key onboards merchants; it acts for none of them.
    if (adminKey && isAdminKey(adminKey, key))
      throw new ProblemError({ kind: 'forbidden', detail: 'the admin key cannot act for a merchant; use its API key' });
    const found = await findMerchantByApiKey(pool, key);
    // One answer for unknown, revoked and malformed keys: which one it was is no business of the caller.
    if (!found) throw unauthorized(reply, 'the API key is not valid');
    request.merchantId = found.merchantId;
  };
}
