// An independent check of the wire format with node:crypto alone (no jose): what we send verifies and
// unwraps by hand, and what is built by hand opens in our code. So the format agrees with the standard,
// not only with itself.
import assert from 'node:assert/strict';
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHmac,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { describe, it } from 'node:test';
import { verifyHs256Payload } from '../../../src/gateway/envelopes/hs256.js';
import { signJws, verifyJws } from '../../../src/gateway/envelopes/jws.js';
import { openPaymentAction, sealPaymentAction } from '../../../src/gateway/envelopes/payment-action-envelope.js';

const b64u = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const fromB64u = (text: string) => Buffer.from(text, 'base64url');
const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
const XML =
  '<PaymentProcessRequest><version>3.8</version><merchantID>JT01</merchantID><processType>R</processType><invoiceNo>A&amp;B</invoiceNo><actionAmount>10.00</actionAmount></PaymentProcessRequest>';

/** Verifies a compact PS256 JWS by hand; returns its header and payload. */
function verifyByHand(token: string, key: KeyObject): { header: Record<string, unknown>; payload: Buffer } {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const ok = verify('sha256', Buffer.from(`${header}.${payload}`), { key, ...PSS }, fromB64u(signature));
  assert.ok(ok, 'PS256 signature verifies with node:crypto');
  return {
    header: JSON.parse(fromB64u(header).toString('utf8')) as Record<string, unknown>,
    payload: fromB64u(payload),
  };
}

/** Decrypts a compact RSA-OAEP (SHA-1) + A256GCM JWE by hand. */
function decryptByHand(jwe: string, key: KeyObject): string {
  const [header = '', encryptedKey = '', iv = '', ciphertext = '', tag = ''] = jwe.split('.');
  assert.deepEqual(JSON.parse(fromB64u(header).toString('utf8')), { alg: 'RSA-OAEP', enc: 'A256GCM' });
  const cek = privateDecrypt(
    { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    fromB64u(encryptedKey),
  );
  assert.equal(cek.length, 32, 'A256GCM takes a 256-bit key');
  const decipher = createDecipheriv('aes-256-gcm', cek, fromB64u(iv));
  decipher.setAAD(Buffer.from(header, 'ascii')); // the protected header, as sent, is the AAD
  decipher.setAuthTag(fromB64u(tag));
  return Buffer.concat([decipher.update(fromB64u(ciphertext)), decipher.final()]).toString('utf8');
}

/** Builds 2C2P's answer by hand: JWE (RSA-OAEP + A256GCM) to `to`, signed PS256 by `by`. */
function sealByHand(plaintext: string, to: KeyObject, by: KeyObject, outerHeader: Record<string, unknown>): string {
  const header = b64u(JSON.stringify({ alg: 'RSA-OAEP', enc: 'A256GCM' }));
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  cipher.setAAD(Buffer.from(header, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const encryptedKey = publicEncrypt({ key: to, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, cek);
  const jwe = [header, b64u(encryptedKey), b64u(iv), b64u(ciphertext), b64u(cipher.getAuthTag())].join('.');
  const signingInput = `${b64u(JSON.stringify(outerHeader))}.${b64u(jwe)}`;
  return `${signingInput}.${b64u(sign('sha256', Buffer.from(signingInput), { key: by, ...PSS }))}`;
}

describe('wire format checked with node:crypto alone', () => {
  it('when we seal a PaymentAction request, then node:crypto verifies PS256, unwraps RSA-OAEP and decrypts A256GCM to the XML', async () => {
    const token = await sealPaymentAction(XML, { signWith: merchant.privateKey, encryptTo: gateway.publicKey });
    const { header, payload } = verifyByHand(token, merchant.publicKey);
    assert.deepEqual(header, { alg: 'PS256', typ: 'JWT' });
    assert.equal(
      fromB64u(token.split('.')[0] ?? '').toString('utf8'),
      '{"alg":"PS256","typ":"JWT"}',
      'header bytes as 2C2P writes them',
    );
    assert.equal(decryptByHand(payload.toString('utf8'), gateway.privateKey), XML);
  });

  it('when we sign a balance inquiry, then node:crypto verifies the PS256 signature over the JSON', async () => {
    const json = '{"merchantID":"JT01","version":"1.0"}';
    const token = await signJws(json, merchant.privateKey);
    assert.equal(verifyByHand(token, merchant.publicKey).payload.toString('utf8'), json);
    const tampered = token.replace(/\.([\w-])/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
    assert.throws(() => verifyByHand(tampered, merchant.publicKey));
  });

  it("when 2C2P's answer is built by hand (with a kid header), then our code verifies and opens it", async () => {
    const answer =
      '<PaymentProcessResponse><respCode>00</respCode><respDesc>Success</respDesc></PaymentProcessResponse>';
    const token = sealByHand(answer, merchant.publicKey, gateway.privateKey, {
      alg: 'PS256',
      typ: 'JWT',
      kid: 'default',
    });
    assert.equal(
      await openPaymentAction(token, { verifyWith: gateway.publicKey, decryptWith: merchant.privateKey }),
      answer,
    );
    const json = '{"version":"1.0","respCode":"00"}';
    const signingInput = `${b64u('{"alg":"PS256","kid":"default"}')}.${b64u(json)}`;
    const balance = `${signingInput}.${b64u(sign('sha256', Buffer.from(signingInput), { key: gateway.privateKey, ...PSS }))}`;
    assert.equal(new TextDecoder().decode((await verifyJws(balance, gateway.publicKey)).payload), json);
  });

  it("when an HS256 notification is made with createHmac, then our decoder accepts it, and refuses another secret's", async () => {
    const secret = randomBytes(32).toString('hex');
    const signingInput = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u(JSON.stringify({ invoiceNo: 'INV1', respCode: '0000' }))}`;
    const token = `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
    const claims = await verifyHs256Payload(token, new TextEncoder().encode(secret));
    assert.equal(claims.invoiceNo, 'INV1');
    await assert.rejects(verifyHs256Payload(token, new TextEncoder().encode(`${secret}x`)), {
      code: 'ERR_GATEWAY_PROTOCOL',
    });
  });
});
