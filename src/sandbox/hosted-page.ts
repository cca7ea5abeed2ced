// The hosted payment page stand-in: GET shows the payment with its card choice, POST approves or declines it and
// shows the result with a link back to the merchant's frontend return URL, as 2C2P's page returns the customer.
import { formatMoney } from '../domain/money.js';
import type { SandboxContext } from './context.js';
import { SandboxError } from './errors.js';
import { escapeHtml, htmlResult, type RouteResult } from './http-io.js';
import type { MerchantState, PaymentTokenRecord } from './model.js';
import type { Route } from './server.js';

const PREFIX = '/payment/4.3/pay/';

function page(title: string, body: string): string {
  const head = `<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`;
  return `<!doctype html><html lang="en">${head}<body><h1>2C2P sandbox</h1>${body}</body></html>`;
}

/** One radio per stored card the token offers, labelled by its last four digits only. */
function savedCards(m: MerchantState, token: PaymentTokenRecord): string {
  return token.customerTokens
    .flatMap((customerToken) => {
      const card = m.customerTokens.get(customerToken)?.card;
      return card ? [{ customerToken, last4: card.masked.slice(-4) }] : [];
    })
    .map(
      ({ customerToken, last4 }, i) =>
        `<label><input type="radio" name="customerToken" value="${escapeHtml(customerToken)}"${i === 0 ? ' checked' : ''}>` +
        ` Pay with your saved card •••• ${escapeHtml(last4)}</label><br>`,
    )
    .join('');
}

/** A card number entry; beside saved cards it is chosen with its own radio. Empty means the default test card. */
function newCardForm(withSavedCards: boolean): string {
  const choose = withSavedCards
    ? '<label><input type="radio" name="customerToken" value=""> Pay with a new card</label><br>'
    : '';
  return (
    `<fieldset><legend>New card</legend>${choose}<label>Card number ` +
    '<input type="text" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="4111 1111 1111 1111">' +
    '</label></fieldset>'
  );
}

function paymentForm(ctx: SandboxContext, paymentToken: string): RouteResult {
  const found = ctx.state.findToken(paymentToken);
  if (!found) return htmlResult(404, page('Unknown payment', '<p>Unknown payment token.</p>'));
  const { m, token } = found;
  const open = token.state === 'open' && token.expiresAt.getTime() > ctx.clock.now().getTime();
  const saved = savedCards(m, token);
  const details =
    `<dl><dt>Merchant</dt><dd>${escapeHtml(m.merchant.merchantId)}</dd>` +
    `<dt>Invoice</dt><dd>${escapeHtml(token.invoiceNo)}</dd>` +
    `<dt>Description</dt><dd>${escapeHtml(token.description)}</dd>` +
    `<dt>Amount</dt><dd>${escapeHtml(formatMoney(token.amount))} ${escapeHtml(token.amount.currency)}</dd>` +
    (token.recurring ? `<dt>Recurring</dt><dd>${escapeHtml(formatMoney(token.recurring.amount))} per cycle</dd>` : '') +
    `<dt>Status</dt><dd>${escapeHtml(open ? 'open' : token.state === 'open' ? 'expired' : token.state)}</dd></dl>`;
  const cards =
    (saved ? `<fieldset><legend>Saved card</legend>${saved}</fieldset>` : '') +
    (token.customerTokenOnly ? '' : newCardForm(saved !== ''));
  const form = open
    ? `<form method="post">${cards}` +
      '<button type="submit" name="action" value="approve">Approve</button> ' +
      '<button type="submit" name="action" value="decline">Decline</button></form>'
    : '';
  return htmlResult(200, page(`Pay ${token.invoiceNo}`, details + form));
}

/** The URL to return the customer to, only if it is http(s): anything else (`javascript:`) is never linked. */
function returnUrl(m: MerchantState, token: PaymentTokenRecord): string | undefined {
  // The token's own URL was checked when it was issued; the merchant profile's, or a restored token's, was not.
  const url = token.frontendReturnUrl ?? m.merchant.frontendReturnUrl;
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function resultPage(ctx: SandboxContext, paymentToken: string): RouteResult {
  const found = ctx.state.findToken(paymentToken);
  if (!found) return htmlResult(404, page('Unknown payment', '<p>Unknown payment token.</p>'));
  const { m, token } = found;
  // The token's state, not the button pressed: an armed decline fault turns an approval into a decline.
  const outcome = token.state === 'paid' ? 'approved' : token.state;
  const url = returnUrl(m, token);
  const next = url
    ? `<p><a href="${escapeHtml(url)}">Return to merchant</a></p>`
    : '<p>This payment is complete; you can close this page.</p>';
  return htmlResult(200, page('Payment result', `<p>Payment ${escapeHtml(outcome)}.</p>${next}`));
}

/**
 * GET renders the payment; POST (form `action=approve|decline`, optional `customerToken`, `cardNumber`,
 * `respCode`) completes it and shows the result.
 */
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
      const cardNumber = form.get('cardNumber')?.replace(/[\s-]/g, '') || undefined;
      await ctx.approvePayment(paymentToken, customerToken ? { customerToken } : cardNumber ? { cardNumber } : {});
      return resultPage(ctx, paymentToken);
    }
    if (action === 'decline') {
      await ctx.declinePayment(paymentToken, form.get('respCode') || undefined);
      return resultPage(ctx, paymentToken);
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
