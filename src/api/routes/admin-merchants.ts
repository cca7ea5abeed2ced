// /v1/admin/merchants: onboard merchants with their 2C2P credentials, list them, issue API keys, rotate keys.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { createApiKey, getMerchant, listMerchantsWithCredentials } from '../../db/index.js';
import type { AdminDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { responses } from '../schemas/common.js';
import { merchantListing, onboard, rotate } from '../use-cases/admin-merchants.js';

const MerchantId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: '1 to 64 letters, digits, _ or -' });
const Pem = (description: string) => Type.String({ minLength: 1, maxLength: 16_384, description });
const Secret = Type.String({ minLength: 1, maxLength: 256, description: "the merchant's 2C2P secret code (SHA key)" });

const OnboardBody = Type.Object(
  {
    id: MerchantId,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    gatewayMerchantId: Type.Optional({ ...MerchantId, description: 'the merchant id 2C2P knows (default: id)' }),
    privateKey: Pem('the merchant private key, PKCS#8 or PKCS#1 PEM'),
    gatewayPublicKey: Pem("2C2P's certificate or SPKI public key, PEM"),
    secret: Secret,
  },
  { additionalProperties: false },
);
const RotateBody = Type.Object(
  {
    privateKey: Pem('the new merchant private key, PEM'),
    gatewayPublicKey: Type.Optional(Pem("2C2P's new certificate or public key, PEM (kept when absent)")),
    secret: Type.Optional({ ...Secret, description: 'a new 2C2P secret code (kept when absent)' }),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: MerchantId });

const Credentials = Type.Union([
  Type.Null(),
  Type.Object({
    gatewayMerchantId: Type.String(),
    privateKeyFingerprint: Type.String({ description: 'sha256 of the SPKI DER of the merchant public key' }),
    gatewayKeyFingerprint: Type.String(),
    keyVersion: Type.Integer(),
    kekId: Type.String({ description: 'the master key that sealed the credentials' }),
    createdAt: Type.String(),
    rotatedAt: Type.Union([Type.String(), Type.Null()]),
  }),
]);
const Merchant = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  credentials: Credentials,
});
const IssuedKey = Type.Object({
  id: Type.String(),
  merchantId: Type.String(),
  prefix: Type.String(),
  key: Type.String({ description: 'the API key: shown once, only its hash is stored' }),
  createdAt: Type.String(),
});

const ADMIN = { security: [{ adminKey: [] }], tags: ['admin'] } as const;

/** Registers the admin routes (in the admin-key scope). */
export function adminMerchantRoutes(app: FastifyInstance, deps: { pool: pg.Pool; admin: AdminDeps }): void {
  const { pool, admin } = deps;
  app.post<{ Body: Static<typeof OnboardBody> }>(
    '/v1/admin/merchants',
    {
      schema: {
        ...ADMIN,
        summary: 'Onboard a merchant with its 2C2P credentials (sealed at rest, never returned)',
        body: OnboardBody,
        response: responses({ 201: Merchant }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const merchant = await onboard(pool, admin, {
        merchantId: b.id,
        name: b.name,
        gatewayMerchantId: b.gatewayMerchantId ?? b.id,
        privateKeyPem: b.privateKey,
        gatewayPublicKeyPem: b.gatewayPublicKey,
        secretCode: b.secret,
      });
      return reply.code(201).send(merchant);
    },
  );

  app.get(
    '/v1/admin/merchants',
    {
      schema: {
        ...ADMIN,
        summary: 'Every merchant, with key fingerprints',
        response: responses({ 200: Type.Object({ data: Type.Array(Merchant) }) }),
      },
    },
    async () => ({ data: await listMerchantsWithCredentials(pool) }),
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/v1/admin/merchants/:id/api-keys',
    {
      schema: {
        ...ADMIN,
        summary: 'Issue an API key for a merchant (shown once)',
        params: IdParams,
        response: responses({ 201: IssuedKey }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await getMerchant(pool, id))) throw new ProblemError({ kind: 'not-found', detail: `no merchant ${id}` });
      const created = await createApiKey(pool, id, { mode: admin.keyMode });
      return reply.code(201).send({
        id: created.id,
        merchantId: created.merchantId,
        prefix: created.prefix,
        key: created.key,
        createdAt: created.createdAt,
      });
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof RotateBody> }>(
    '/v1/admin/merchants/:id/rotate-keys',
    {
      schema: {
        ...ADMIN,
        summary: "Rotate a merchant's private key (and optionally 2C2P's key and the secret)",
        params: IdParams,
        body: RotateBody,
        response: responses({ 200: Merchant }),
      },
    },
    async (request) => {
      const { id } = request.params;
      await merchantListing(pool, id);
      return rotate(pool, admin, {
        merchantId: id,
        privateKeyPem: request.body.privateKey,
        gatewayPublicKeyPem: request.body.gatewayPublicKey,
        secretCode: request.body.secret,
      });
    },
  );
}
