// POST /payment/4.3/paymentToken: issues a payment token and its hosted page URL (9015 for a used invoice).
import { pgwDescription } from '../codes.js';
import type { SandboxContext } from '../context.js';
import type { PaymentTokenRecord } from '../model.js';
import { withRequestFault } from '../request-faults.js';
import type { Route } from '../server.js';
import { openPgwRequest, pgwAnswer, pgwError } from './pgw-envelope.js';
import { readTokenRequest } from './payment-token-request.js';

// System error: 2C2P could not process the request; the client classifies it retryable.
const BUSY_CODE = '0999';

function webPaymentUrl(ctx: SandboxContext, paymentToken: string): string {
  return `${ctx.baseUrl()}/payment/4.3/pay/${encodeURIComponent(paymentToken)}`;
}

/** Handles a payment token request; a repeat with the same idempotencyID gets the original answer. */
export const paymentTokenRoute: Route = async (r, ctx) => {
  const opened = await openPgwRequest(ctx, r.body);
  if (!opened.ok) return opened.result;
  const { m, claims } = opened;
  const chaos = {
    key: `${m.merchant.merchantId}|${String(claims['invoiceNo'] ?? '')}`,
    busy: () => pgwAnswer(m, { respCode: BUSY_CODE, respDesc: pgwDescription(BUSY_CODE) }),
  };
  return withRequestFault(
    ctx,
    'paymentToken',
    async ({ wrongSignature }) => {
      const now = ctx.clock.now();
      const draft = readTokenRequest(m, claims, now, ctx.timeZone);
      if (!('invoiceNo' in draft)) return pgwError(draft.code, draft.field);
      if (draft.idempotencyID !== undefined) {
        for (const token of m.tokens.values()) {
          if (token.idempotencyID === draft.idempotencyID) return pgwAnswer(m, token.response, wrongSignature);
        }
      }
      if (ctx.state.invoiceTaken(m, draft.invoiceNo)) return pgwError('9015');
      const paymentToken = ctx.state.ids.paymentToken();
      const response = {
        webPaymentUrl: webPaymentUrl(ctx, paymentToken),
        paymentToken,
        respCode: '0000',
        respDesc: 'Success',
      };
      const record: PaymentTokenRecord = {
        ...draft,
        merchantId: m.merchant.merchantId,
        paymentToken,
        createdAt: now,
        state: 'open',
        response,
      };
      ctx.state.addToken(m, record);
      return pgwAnswer(m, response, wrongSignature);
    },
    chaos,
  );
};
