// POST /payment/4.3/paymentInquiry: the result of a payment, looked up by paymentToken or invoiceNo.
import { formatMoney } from '../../domain/money.js';
import { pgwDescription } from '../codes.js';
import type { SandboxContext } from '../context.js';
import type { MerchantState, PaymentTokenRecord, TransactionRecord } from '../model.js';
import { notificationContent } from '../notification-payload.js';
import { withRequestFault } from '../request-faults.js';
import type { Route } from '../server.js';
import { openPgwRequest, pgwAnswer, pgwError } from './pgw-envelope.js';

function find(
  m: MerchantState,
  paymentToken: unknown,
  invoiceNo: unknown,
): { token?: PaymentTokenRecord; tx?: TransactionRecord } {
  const token = typeof paymentToken === 'string' ? m.tokens.get(paymentToken) : undefined;
  if (typeof paymentToken === 'string' && paymentToken !== '' && !token) return {};
  const invoice = token?.invoiceNo ?? (typeof invoiceNo === 'string' ? invoiceNo : undefined);
  if (token && typeof invoiceNo === 'string' && invoiceNo !== '' && invoiceNo !== token.invoiceNo) return {};
  const tx = invoice === undefined ? undefined : m.transactions.get(invoice);
  const byInvoice = token ?? [...m.tokens.values()].find((t) => t.invoiceNo === invoice);
  return { ...(byInvoice ? { token: byInvoice } : {}), ...(tx ? { tx } : {}) };
}

/**
 * Answers with the payment's own result: its full fields once paid or declined, `0001` while the
 * token is still open, `5009` once it expired unpaid, `2002` when nothing matches. Bare 9005 when
 * neither paymentToken nor invoiceNo is given.
 */
export const paymentInquiryRoute: Route = async (r, ctx: SandboxContext) => {
  const opened = await openPgwRequest(ctx, r.body);
  if (!opened.ok) return opened.result;
  const { m, claims } = opened;
  const { paymentToken, invoiceNo } = claims;
  const given = (v: unknown) => typeof v === 'string' && v !== '';
  if (!given(paymentToken) && !given(invoiceNo)) return pgwError('9005');
  const merchantID = m.merchant.merchantId;
  const chaos = {
    key: `${merchantID}|${given(paymentToken) ? paymentToken : ''}|${given(invoiceNo) ? invoiceNo : ''}`,
    // 0999 System error: says nothing of the payment, which the engine reads as pending and asks again.
    busy: () =>
      pgwAnswer(m, {
        merchantID,
        invoiceNo: given(invoiceNo) ? invoiceNo : '',
        respCode: '0999',
        respDesc: pgwDescription('0999'),
      }),
  };
  return withRequestFault(
    ctx,
    'paymentInquiry',
    async ({ wrongSignature }) => {
      const { token, tx } = find(m, paymentToken, invoiceNo);
      if (tx) return pgwAnswer(m, notificationContent(m, tx), wrongSignature);
      if (!token) {
        const notFound = {
          merchantID,
          invoiceNo: given(invoiceNo) ? invoiceNo : '',
          respCode: '2002',
          respDesc: 'Transaction not found',
        };
        return pgwAnswer(m, notFound, wrongSignature);
      }
      const expired = token.state === 'expired' || token.expiresAt.getTime() <= ctx.clock.now().getTime();
      return pgwAnswer(
        m,
        {
          merchantID,
          invoiceNo: token.invoiceNo,
          amount: formatMoney(token.amount),
          currencyCode: token.amount.currency,
          respCode: expired ? '5009' : '0001',
          respDesc: expired ? 'Payment expired' : 'Transaction is pending',
        },
        wrongSignature,
      );
    },
    chaos,
  );
};
