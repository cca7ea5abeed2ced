// The node:crypto envelopes against jose 6, the reference for the wire format: what we seal and sign jose verifies
// and decrypts, what jose seals and signs we open, header bytes are jose's for the same header, and what either
// refuses we refuse too.
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify, type CompactJWSHeaderParameters } from 'jose';
import { decryptJwe, encryptJwe } from '../../../src/gateway/envelopes/jwe.js';
import { signJws, verifyJws, type JwsHeader } from '../../../src/gateway/envelopes/jws.js';
import { openPaymentAction, sealPaymentAction } from '../../../src/gateway/envelopes/payment-action-envelope.js';

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = generateKeyPairSync('rsa', { modulusLength: 2048 });
const XML =
  '<PaymentProcessRequest><version>3.8</version><merchantID>JT01</merchantID><invoiceNo>A&amp;B</invoiceNo><remark>Café 東京 💳</remark></PaymentProcessRequest>';
const protocolError = { code: 'ERR_GATEWAY_PROTOCOL' };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const headerOf = (token: string) => Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8');

async function joseVerify(token: string, key: KeyObject) {
  return compactVerify(token, key, { algorithms: ['PS256'] });
}
async function joseDecrypt(jwe: string, key: KeyObject): Promise<string> {
  const { plaintext } = await compactDecrypt(jwe, key, {
    keyManagementAlgorithms: ['RSA-OAEP'],
    contentEncryptionAlgorithms: ['A256GCM'],
  });
  return text(plaintext);
}
async function joseEncrypt(plaintext: string, key: KeyObject, header: Record<string, unknown> = {}): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', ...header })
    .encrypt(key);
}
async function joseSign(payload: string, key: KeyObject, header: CompactJWSHeaderParameters): Promise<string> {
  return new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader(header).sign(key);
}
/** Replaces one character of a token part by another valid base64url character. */
function tamper(token: string, part: number): string {
  const parts = token.split('.');
  const value = parts[part] ?? '';
  parts[part] = `${value.slice(0, 10)}${value[10] === 'A' ? 'B' : 'A'}${value.slice(11)}`;
  return parts.join('.');
}

describe('envelopes against jose: what we send', () => {
  it('when we seal a PaymentAction, then jose verifies the PS256 layer and decrypts the inner JWE to the plaintext', async () => {
    const token = await sealPaymentAction(XML, { signWith: merchant.privateKey, encryptTo: gateway.publicKey });
    const { payload, protectedHeader } = await joseVerify(token, merchant.publicKey);
    assert.deepEqual(protectedHeader, { alg: 'PS256', typ: 'JWT' });
    assert.equal(headerOf(token), '{"alg":"PS256","typ":"JWT"}');
    assert.equal(headerOf(text(payload)), '{"alg":"RSA-OAEP","enc":"A256GCM"}');
    assert.equal(await joseDecrypt(text(payload), gateway.privateKey), XML);
  });

  it('when we sign with extra header members, then the header bytes are the ones jose writes for the same header', async () => {
    const cases: Array<[JwsHeader, CompactJWSHeaderParameters]> = [
      [{}, { alg: 'PS256', typ: 'JWT' }],
      [
        { alg: 'PS256', typ: 'JWT' },
        { alg: 'PS256', typ: 'JWT' },
      ],
      [
        { kid: 'default', typ: undefined },
        { alg: 'PS256', kid: 'default' },
      ],
      [{ kid: 'k1' }, { alg: 'PS256', typ: 'JWT', kid: 'k1' }],
      [
        { kid: 'k1', typ: 'JOSE', alg: 'RS256' },
        { alg: 'PS256', typ: 'JOSE', kid: 'k1' },
      ],
    ];
    const json = '{"merchantID":"JT01","version":"1.0"}';
    for (const [ours, theirs] of cases) {
      const token = await signJws(json, merchant.privateKey, ours);
      assert.equal(token.split('.')[0], (await joseSign(json, merchant.privateKey, theirs)).split('.')[0]);
      assert.equal(text((await joseVerify(token, merchant.publicKey)).payload), json);
    }
  });

  it('when we encrypt a JWE on its own, then jose decrypts it, and every token has a fresh key and IV', async () => {
    const first = await encryptJwe(XML, gateway.publicKey);
    const second = await encryptJwe(XML, gateway.publicKey);
    assert.equal(await joseDecrypt(first, gateway.privateKey), XML);
    assert.notEqual(first.split('.')[1], second.split('.')[1]);
    assert.notEqual(first.split('.')[2], second.split('.')[2]);
    assert.equal(Buffer.from(first.split('.')[2] ?? '', 'base64url').length, 12);
    assert.equal(Buffer.from(first.split('.')[4] ?? '', 'base64url').length, 16);
  });

  it('when many callers seal at once (threadpool and inline mixed), then jose opens every token to its own plaintext', async () => {
    const plaintexts = Array.from({ length: 24 }, (_, i) => `${XML}<!-- ${i} -->`);
    const tokens = await Promise.all(
      plaintexts.map((p) => sealPaymentAction(p, { signWith: merchant.privateKey, encryptTo: gateway.publicKey })),
    );
    for (const [i, token] of tokens.entries()) {
      const { payload } = await joseVerify(token, merchant.publicKey);
      assert.equal(await joseDecrypt(text(payload), gateway.privateKey), plaintexts[i]);
    }
  });
  it("when the payload is larger than the RSA helper's slot, then it is sealed and opened all the same", async () => {
    const large = `<PaymentProcessRequest>${'<remark>x</remark>'.repeat(4000)}</PaymentProcessRequest>`;
    const tokens = await Promise.all(
      [large, large, XML].map((p) =>
        sealPaymentAction(p, { signWith: merchant.privateKey, encryptTo: gateway.publicKey }),
      ),
    );
    const { payload } = await joseVerify(tokens[0] ?? '', merchant.publicKey);
    assert.equal(await joseDecrypt(text(payload), gateway.privateKey), large);
    const opened = await Promise.all(
      tokens.map((t) => openPaymentAction(t, { verifyWith: merchant.publicKey, decryptWith: gateway.privateKey })),
    );
    assert.deepEqual(opened, [large, large, XML]);
  });
});

describe('envelopes against jose: what we receive', () => {
  it("when jose seals 2C2P's answer (kid and typ headers on both layers), then we open it", async () => {
    const jwe = await joseEncrypt(XML, merchant.publicKey, { kid: 'merchant-key' });
    const token = await joseSign(jwe, gateway.privateKey, { alg: 'PS256', typ: 'JOSE', kid: 'default' });
    assert.equal(
      await openPaymentAction(token, { verifyWith: gateway.publicKey, decryptWith: merchant.privateKey }),
      XML,
    );
    assert.equal(await decryptJwe(jwe, merchant.privateKey), XML);
  });

  it('when jose signs a balance answer, then we verify it and return its header and payload', async () => {
    const json = '{"version":"1.0","respCode":"00","availableBalance":795904449.7206}';
    const token = await joseSign(json, gateway.privateKey, { alg: 'PS256', kid: 'default' });
    const { payload, header } = await verifyJws(token, gateway.publicKey);
    assert.equal(text(payload), json);
    assert.deepEqual(header, { alg: 'PS256', kid: 'default' });
  });

  it('when many answers are opened at once, then each opens to its own plaintext', async () => {
    const plaintexts = Array.from({ length: 24 }, (_, i) => `${XML}<!-- ${i} -->`);
    const tokens = await Promise.all(
      plaintexts.map(async (p) =>
        joseSign(await joseEncrypt(p, merchant.publicKey), gateway.privateKey, { alg: 'PS256' }),
      ),
    );
    const opened = await Promise.all(
      tokens.map((t) => openPaymentAction(t, { verifyWith: gateway.publicKey, decryptWith: merchant.privateKey })),
    );
    assert.deepEqual(opened, plaintexts);
  });
});

describe('envelopes against jose: what both refuse', () => {
  const openKeys = { verifyWith: gateway.publicKey, decryptWith: merchant.privateKey };
  const answer = async (
    jweHeader: Record<string, unknown> = {},
    jwsHeader: CompactJWSHeaderParameters = { alg: 'PS256' },
  ) => joseSign(await joseEncrypt(XML, merchant.publicKey, jweHeader), gateway.privateKey, jwsHeader);

  it('when a signature, an encrypted key, an IV, a ciphertext or a tag is altered, then it is a protocol error', async () => {
    const token = await answer();
    await assert.rejects(openPaymentAction(tamper(token, 2), openKeys), protocolError);
    const jwe = text((await joseVerify(token, gateway.publicKey)).payload);
    for (const part of [0, 1, 2, 3, 4]) {
      const altered = tamper(jwe, part);
      await assert.rejects(decryptJwe(altered, merchant.privateKey), protocolError, `part ${part}`);
      await assert.rejects(joseDecrypt(altered, merchant.privateKey));
    }
  });

  it('when the tag is truncated or the IV is not 96 bits, then it is refused (GCM would accept a short tag)', async () => {
    const parts = (await joseEncrypt(XML, merchant.publicKey)).split('.');
    const tag = Buffer.from(parts[4] ?? '', 'base64url');
    const iv = Buffer.from(parts[2] ?? '', 'base64url');
    const shortTag = [...parts.slice(0, 4), tag.subarray(0, 12).toString('base64url')].join('.');
    const longIv = [parts[0], parts[1], Buffer.concat([iv, iv]).toString('base64url'), parts[3], parts[4]].join('.');
    for (const jwe of [shortTag, longIv]) {
      await assert.rejects(decryptJwe(jwe, merchant.privateKey), protocolError);
      await assert.rejects(joseDecrypt(jwe, merchant.privateKey));
    }
  });

  it('when the algorithms are not PS256 / RSA-OAEP / A256GCM, then it is a protocol error', async () => {
    const rs256 = await joseSign(await joseEncrypt(XML, merchant.publicKey), gateway.privateKey, { alg: 'RS256' });
    await assert.rejects(openPaymentAction(rs256, openKeys), protocolError);
    const a128 = await new CompactEncrypt(new TextEncoder().encode(XML))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A128GCM' })
      .encrypt(merchant.publicKey);
    await assert.rejects(decryptJwe(a128, merchant.privateKey), protocolError);
    const oaep256 = await new CompactEncrypt(new TextEncoder().encode(XML))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })
      .encrypt(merchant.publicKey);
    await assert.rejects(decryptJwe(oaep256, merchant.privateKey), protocolError);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
    await assert.rejects(verifyJws(`${none}AAAA`, gateway.publicKey), protocolError);
  });

  it('when a header names a critical extension, then it is refused even with a good signature', async () => {
    const signingInput = `${Buffer.from('{"alg":"PS256","crit":["x-ext"],"x-ext":1}').toString('base64url')}.e30`;
    const signature = sign('sha256', Buffer.from(signingInput), {
      key: gateway.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
    const token = `${signingInput}.${signature.toString('base64url')}`;
    await assert.rejects(verifyJws(token, gateway.publicKey), protocolError);
    await assert.rejects(joseVerify(token, gateway.publicKey));
    await assert.rejects(signJws('{}', merchant.privateKey, { crit: ['x-ext'] }), protocolError);
  });

  it('when the signature was made by another key, or keys of the wrong type or size are given, then it is a protocol error', async () => {
    const token = await answer();
    await assert.rejects(openPaymentAction(token, { ...openKeys, verifyWith: merchant.publicKey }), protocolError);
    await assert.rejects(verifyJws(token, gateway.privateKey), protocolError);
    await assert.rejects(signJws('{}', merchant.publicKey), protocolError);
    await assert.rejects(encryptJwe(XML, merchant.privateKey), protocolError);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    await assert.rejects(signJws('{}', small.privateKey), protocolError);
    await assert.rejects(encryptJwe(XML, small.publicKey), protocolError);
  });

  it('when the JWE asks for compression, then it is refused (2C2P never compresses)', async () => {
    const header = Buffer.from('{"alg":"RSA-OAEP","enc":"A256GCM","zip":"DEF"}').toString('base64url');
    const parts = (await joseEncrypt(XML, merchant.publicKey)).split('.');
    await assert.rejects(decryptJwe([header, ...parts.slice(1)].join('.'), merchant.privateKey), protocolError);
  });
});
