// The README's webhook verification snippet, run as written: it accepts a real delivery's signature and refuses
// a tampered body, an old timestamp and another secret; during a rotation either secret verifies.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { signRecurPayload } from '../../../src/domain/webhook-signature.js';

type Verify = (rawBody: Buffer | string, header: string, secret: string, toleranceSeconds?: number) => boolean;

/** The ```js block after `<!-- readme-snippet: verify-webhook -->` in README.md. */
function snippet(): string {
  const readme = readFileSync('README.md', 'utf8');
  const match = /<!-- readme-snippet: verify-webhook -->\n```js\n([\s\S]*?)```/.exec(readme);
  if (!match?.[1]) throw new Error('README.md has no verify-webhook snippet');
  return match[1];
}

describe("the README's signature verification snippet", () => {
  let dir: string;
  let verify: Verify;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recur-snippet-'));
    const file = join(dir, 'verify.mjs');
    writeFileSync(file, snippet());
    ({ verifyRecurSignature: verify } = (await import(pathToFileURL(file).href)) as { verifyRecurSignature: Verify });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const secret = 'whsec_readme_snippet_secret_0123456789abcdefgh';
  const body = JSON.stringify({ id: 'evt_0123456789abcdef01234567', type: 'refund.succeeded', data: {} });
  const now = () => Math.floor(Date.now() / 1000);

  it('when a delivery is signed by the engine, then the snippet accepts it, as bytes or text', () => {
    const header = signRecurPayload(body, [secret], now());
    assert.equal(verify(Buffer.from(body), header, secret), true);
    assert.equal(verify(body, header, secret), true);
  });

  it('when the body, the secret or the age is wrong, then the snippet refuses it', () => {
    const header = signRecurPayload(body, [secret], now());
    assert.equal(verify(body.replace('refund', 'charge'), header, secret), false);
    assert.equal(verify(body, header, 'whsec_another'), false);
    assert.equal(verify(body, signRecurPayload(body, [secret], now() - 600), secret), false);
    assert.equal(verify(body, 'garbage', secret), false);
  });

  it('when the secret is being rotated, then either secret verifies the two-signature header', () => {
    const header = signRecurPayload(body, ['whsec_new_secret', secret], now());
    assert.equal(verify(body, header, secret), true);
    assert.equal(verify(body, header, 'whsec_new_secret'), true);
  });
});
