// The hosted payment page stand-in: GET shows the payment with Approve/Decline buttons, POST completes it.
import { formatMoney } from '../domain/money.js';
import type { SandboxContext } from './context.js';
import { SandboxError } from './errors.js';
import { escapeHtml, htmlResult, type RouteResult } from './http-io.js';
import type { Route } from './server.js';

const PREFIX = '/payment/4.3/pay/';

function page(title: string, body: string): string {
  const head = `<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`;
  return `<!doctype html><html lang="en">${head}<body><h1>2C2P sandbox</h1>${body}</body></html>`;
}

function paymentForm(ctx: SandboxContext, paymentToken: string): RouteResult {
  const found = ctx.state.findToken(paymentToken);
  if (!found) return htmlResult(404, page('Unknown payment', '<p>Unknown payment token.</p>'));
  const { m, token } = found;
  const open = token.state === 'open' && token.expiresAt.getTime() > ctx.clock.now().getTime();
  const cards = token.customerTokens
    .map((t, i) => {
      const card = m.customerTokens.get(t)?.card.masked ?? 'unknown card';
      const checked = i === 0 && token.customerTokenOnly ? ' checked' : '';
      return `<label><input type="radio" name="customerToken" value="${escapeHtml(t)}"${checked}> ${escapeHtml(card)}</label><br>`;
    })
    .join('');
  const newCard = token.customerTokenOnly
    ? ''
    : '<label><input type="radio" name="customerToken" value="" checked> New card 411111XXXXXX1111</label><br>';
  const details =
    `<dl><dt>Merchant</dt><dd>${escapeHtml(m.merchant.merchantId)}</dd>` +
    `<dt>Invoice</dt><dd>${escapeHtml(token.invoiceNo)}</dd>` +
    `<dt>Description</dt><dd>${escapeHtml(token.description)}</dd>` +
    `<dt>Amount</dt><dd>${escapeHtml(formatMoney(token.amount))} ${escapeHtml(token.amount.currency)}</dd>` +
    (token.recurring ? `<dt>Recurring</dt><dd>${escapeHtml(formatMoney(token.recurring.amount))} per cycle</dd>` : '') +
    `<dt>Status</dt><dd>${escapeHtml(open ? 'open' : token.state === 'open' ? 'expired' : token.state)}</dd></dl>`;
  const form = open
    ? `<form method="post"><fieldset><legend>Card</legend>${cards}${newCard}</fieldset>` +
      '<button type="submit" name="action" value="approve">Approve</button> ' +
      '<button type="submit" name="action" value="decline">Decline</button></form>'
    : '';
  return htmlResult(200, page(`Pay ${token.invoiceNo}`, details + form));
}

function resultPage(ctx: SandboxContext, paymentToken: string, outcome: string): RouteResult {
  const found = ctx.state.findToken(paymentToken);
  const frontend = found?.token.frontendReturnUrl ?? found?.m.merchant.frontendReturnUrl;
  const text = `<p>Payment ${escapeHtml(outcome)}.</p>`;
  if (!found || !frontend) return htmlResult(200, page('Payment result', text));
  // 2C2P's frontend response: a browser form POST of base64(JSON) with a Payment Flow code (2000 = completed).
  const paymentResponse = Buffer.from(
    JSON.stringify({
      invoiceNo: found.token.invoiceNo,
      channelCode: 'CC',
      respCode: '2000',
      respDesc: 'Transaction is completed, please do payment inquiry request for full payment information.',
    }),
  ).toString('base64');
  const form =
    `<form id="r" method="post" action="${escapeHtml(frontend)}">` +
    `<input type="hidden" name="paymentResponse" value="${escapeHtml(paymentResponse)}">` +
    '<button type="submit">Return to merchant</button></form><script>document.getElementById("r").submit()</script>';
  return htmlResult(200, page('Payment result', text + form));
}

/** GET renders the payment; POST (form `action=approve|decline`, optional `customerToken`, `respCode`) completes it. */
export const hostedPageRoute: Route = async (r, ctx) => {
  let paymentToken: string;
  try {
    paymentToken = decodeURIComponent(r.path.slice(PREFIX.length));
  } catch {
    return htmlResult(400, page('Bad request', '<p>Malformed payment token.</p>'));
  }
  if (r.method === 'GET') return paymentForm(ctx, paymentToken);
  if (r.method !== 'POST') return { ...htmlResult(405, page('Not allowed', '')), headers: { allow: 'GET, POST' } };
  const form = new URLSearchParams(r.body);
  const action = form.get('action');
  try {
    if (action === 'approve') {
      const customerToken = form.get('customerToken') || undefined;
      await ctx.approvePayment(paymentToken, customerToken ? { customerToken } : {});
      return resultPage(ctx, paymentToken, 'approved');
    }
    if (action === 'decline') {
      await ctx.declinePayment(paymentToken, form.get('respCode') || undefined);
      return resultPage(ctx, paymentToken, 'declined');
    }
    return htmlResult(400, page('Bad request', '<p>action must be approve or decline.</p>'));
  } catch (error) {
    if (error instanceof SandboxError) {
      const reason = `<p>${escapeHtml(error.message)} (${escapeHtml(error.respCode ?? error.code)}).</p>`;
      return htmlResult(error.httpStatus, page('Payment refused', reason));
    }
    if (error instanceof RangeError) return htmlResult(400, page('Bad request', `<p>${escapeHtml(error.message)}</p>`));
    throw error;
  }
};
