// Bearer admin key for /v1/admin: a merchant's key is recognised and refused with 403, anything else is 401.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type pg from 'pg';
import { findMerchantByApiKey } from '../../db/index.js';
import { isAdminKey } from '../admin-api-key.js';
import { ProblemError } from '../problem.js';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** An onRequest hook that lets only the admin key through (the key is never logged). */
export function authenticateAdmin(pool: pg.Pool, adminKey: string): onRequestAsyncHookHandler {
  return async function authenticateAdminRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const key = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (key && isAdminKey(adminKey, key)) return;
    if (key && (await findMerchantByApiKey(pool, key)))
      throw new ProblemError({ kind: 'forbidden', detail: 'a merchant API key cannot use the admin routes' });
    reply.header('www-authenticate', 'Bearer realm="recur-admin"');
    throw new ProblemError({ kind: 'unauthorized', detail: 'send the admin key as "Authorization: Bearer <key>"' });
  };
}
