// GET /v1/merchants/{id}/balance: 2C2P's balance inquiry for the API key's own merchant.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { responses } from '../schemas/common.js';
import { merchantBalance } from '../use-cases/merchant-balance.js';

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const BalanceAnswer = Type.Object({
  merchantId: Type.String(),
  availableBalance: Type.String({ description: "2C2P's availableBalance, a decimal string (up to 4 decimals)" }),
  currency: Type.String(),
});

/** Registers the merchant routes (in the authenticated scope). */
export function merchantRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: Static<typeof Params> }>(
    '/v1/merchants/:id/balance',
    {
      schema: {
        security: [{ apiKey: [] }],
        tags: ['merchants'],
        summary: "The merchant's available balance at 2C2P (what refunds draw on)",
        params: Params,
        response: responses({ 200: BalanceAnswer }),
      },
    },
    async (request) => merchantBalance(deps.balanceInquiry, request.merchantId, request.params.id),
  );
}
