// The hosted payment page stand-in: the return to the merchant after approve or decline, saved card versus new
// card entry, and escaping of everything it shows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateMerchant, startSandboxHarness, type SandboxHarness } from '../../support/sandbox-harness.js';

const RETURN_URL = 'https://shop.example.test/return?order=1&step=done';
const RETURN_LINK = '<a href="https://shop.example.test/return?order=1&#38;step=done">Return to merchant</a>';
const CLOSE_TEXT = 'This payment is complete; you can close this page.';

const press = async (webPaymentUrl: string, fields: Record<string, string>) => {
  const res = await fetch(webPaymentUrl, { method: 'POST', body: new URLSearchParams(fields) });
  return { status: res.status, html: await res.text() };
};
const open = async (webPaymentUrl: string) => (await fetch(webPaymentUrl)).text();

describe('sandbox hosted payment page', () => {
  let h: SandboxHarness;
  before(async () => {
    h = await startSandboxHarness();
  });
  after(() => h.close());

  it('when the customer approves and the token has a frontendReturnUrl, then the page links back to it', async () => {
    const { webPaymentUrl } = await h.token({ frontendReturnUrl: RETURN_URL });
    const { status, html } = await press(webPaymentUrl, { action: 'approve' });
    assert.equal(status, 200);
    assert.match(html, /Payment approved\./);
    assert.ok(html.includes(RETURN_LINK), html);
    assert.ok(!html.includes(CLOSE_TEXT));
  });

  it('when the customer declines and the token has a frontendReturnUrl, then the page links back to it', async () => {
    const { webPaymentUrl, invoiceNo } = await h.token({ frontendReturnUrl: RETURN_URL });
    const { status, html } = await press(webPaymentUrl, { action: 'decline', respCode: '4005' });
    assert.equal(status, 200);
    assert.match(html, /Payment declined\./);
    assert.ok(html.includes(RETURN_LINK), html);
    assert.equal(h.sandbox.ledger().transactions.find((t) => t.invoiceNo === invoiceNo)?.respCode, '4005');
  });

  it('when an armed decline fault turns an approval down, then the page says declined, not approved', async () => {
    const { webPaymentUrl } = await h.token({ frontendReturnUrl: RETURN_URL });
    h.sandbox.faults.declineNextPayment({ respCode: '4051' });
    const { html } = await press(webPaymentUrl, { action: 'approve' });
    assert.match(html, /Payment declined\./);
    assert.ok(html.includes(RETURN_LINK));
  });

  it('when the token and the merchant have no frontendReturnUrl, then no link and the page can be closed', async () => {
    for (const action of ['approve', 'decline']) {
      const { webPaymentUrl } = await h.token();
      const { html } = await press(webPaymentUrl, { action });
      assert.ok(html.includes(CLOSE_TEXT), html);
      assert.doesNotMatch(html, /<a\b/);
    }
  });

  it('when a token offers a stored card, then it is labelled as the saved card, apart from the new-card form', async () => {
    const first = await h.token({ tokenize: true });
    const paid = await press(first.webPaymentUrl, { action: 'approve', cardNumber: '5555 5555 5555 4444' });
    assert.match(paid.html, /Payment approved\./);
    const customerToken = h.sandbox.ledger().transactions.find((t) => t.invoiceNo === first.invoiceNo)?.customerToken;
    assert.ok(customerToken);

    const newCardOnly = await open((await h.token()).webPaymentUrl);
    assert.match(newCardOnly, /<input type="text" name="cardNumber"/);
    assert.doesNotMatch(newCardOnly, /saved card/);

    const either = await open((await h.token({ customerToken: [customerToken] })).webPaymentUrl);
    assert.ok(either.includes('Pay with your saved card •••• 4444'), either);
    assert.ok(either.includes(`value="${customerToken}" checked> Pay with your saved card`));
    assert.match(either, /<input type="radio" name="customerToken" value=""> Pay with a new card/);
    assert.match(either, /name="cardNumber"/);
    assert.doesNotMatch(either, /5555555555554444|555555XXXXXX4444/, 'only the last four digits are shown');

    const storedOnly = await h.token({ customerToken: [customerToken], customerTokenOnly: true });
    const storedOnlyHtml = await open(storedOnly.webPaymentUrl);
    assert.ok(storedOnlyHtml.includes('Pay with your saved card •••• 4444'));
    assert.doesNotMatch(storedOnlyHtml, /name="cardNumber"|new card/i);
    await press(storedOnly.webPaymentUrl, { action: 'approve', customerToken });
    const tx = h.sandbox.ledger().transactions.find((t) => t.invoiceNo === storedOnly.invoiceNo);
    assert.equal(tx?.customerToken, customerToken);
  });

  it('when the description holds <script>, then the page shows it escaped and runs no script', async () => {
    const description = '<script>alert("x")</script> & \'more\'';
    const { webPaymentUrl } = await h.token({ description });
    const html = await open(webPaymentUrl);
    assert.ok(
      html.includes('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;more&#39;'),
      'the description is escaped',
    );
    assert.doesNotMatch(html, /<script/i);
  });
});

describe('sandbox hosted payment page with a merchant-profile frontendReturnUrl', () => {
  it('when the return URL is not http(s), such as javascript:, then it is never linked', async () => {
    for (const frontendReturnUrl of ['javascript:alert(document.cookie)', ' JavaScript:alert(1)', 'data:text/html,x']) {
      const merchant = generateMerchant();
      const h = await startSandboxHarness({
        merchant,
        merchants: [
          {
            merchantId: merchant.merchantId,
            secretKey: merchant.secretKey,
            merchantPublicKey: merchant.publicKey,
            currency: 'SGD',
            frontendReturnUrl,
          },
        ],
      });
      try {
        const { webPaymentUrl } = await h.token();
        const { html } = await press(webPaymentUrl, { action: 'approve' });
        assert.match(html, /Payment approved\./);
        assert.doesNotMatch(html, /<a\b|href=/i, frontendReturnUrl);
        assert.doesNotMatch(html, /javascript:|data:/i);
        assert.ok(html.includes(CLOSE_TEXT));
      } finally {
        await h.close();
      }
    }
  });

  it('when the merchant profile has an http(s) frontendReturnUrl and the token none, then the page links to it', async () => {
    const merchant = generateMerchant();
    const h = await startSandboxHarness({
      merchant,
      merchants: [
        {
          merchantId: merchant.merchantId,
          secretKey: merchant.secretKey,
          merchantPublicKey: merchant.publicKey,
          currency: 'SGD',
          frontendReturnUrl: RETURN_URL,
        },
      ],
    });
    try {
      const { html } = await press((await h.token()).webPaymentUrl, { action: 'decline' });
      assert.ok(html.includes(RETURN_LINK), html);
    } finally {
      await h.close();
    }
  });
});
