// Errors Fastify raises before or around a route (bad URL, overlong id, unknown route or method, media type,
// body size, bad JSON) and numeric query text: each answers a problem document with a stable type and no stack.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApiHarness, type Answer, type ApiHarness } from './support/api-harness.js';
import { assertProblem } from './support/requests.js';

/** Asserts a problem of `status` and `type`, with none of Fastify's own fields and no stack. */
function assertTypedProblem(answer: Answer, status: number, type: string): void {
  assertProblem(answer, status);
  assert.equal(answer.body.type, type);
  for (const field of ['error', 'code', 'statusCode', 'message', 'stack']) {
    assert.equal(answer.body[field], undefined, `no ${field} in ${JSON.stringify(answer.body)}`);
  }
  assert.ok(!JSON.stringify(answer.body).includes('    at '), 'no stack frames');
}

describe('framework errors as problem documents', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApiHarness();
  });
  after(async () => {
    await h?.stop();
  });

  /** A request through inject with any method and raw body; the JSON body is parsed whatever the media type. */
  async function send(method: string, url: string, headers: Record<string, string> = {}, payload?: string) {
    const response = await h.app.inject({ method: method as 'GET', url, headers, payload });
    const body = response.body ? (JSON.parse(response.body) as unknown) : undefined;
    return { status: response.statusCode, headers: response.headers, body } as Answer;
  }
  const auth = () => ({ authorization: `Bearer ${h.merchantA.key}` });

  it('when a path id is 3,000 characters long, then it answers 414 /problems/uri-too-long without echoing the id', async () => {
    const id = 'a'.repeat(3000);
    const answer = await send('GET', `/v1/subscriptions/${id}`, auth());
    assertTypedProblem(answer, 414, '/problems/uri-too-long');
    assert.ok(!answer.body.detail.includes(id));
  });

  it('when the path has a bad percent escape, then it answers 400 /problems/malformed-request', async () => {
    const answer = await send('GET', '/v1/subscriptions/%E0%A4%A', auth());
    assertTypedProblem(answer, 400, '/problems/malformed-request');
  });

  it('when no route has the path, then it answers 404 /problems/not-found', async () => {
    assertTypedProblem(await send('GET', '/v2/nothing-here'), 404, '/problems/not-found');
  });

  it('when the path exists but not with the method, then it answers 405 with Allow naming the methods it has', async () => {
    const answer = await send('DELETE', '/v1/subscriptions', auth());
    assertTypedProblem(answer, 405, '/problems/method-not-allowed');
    assert.deepEqual(String(answer.headers.allow).split(', ').sort(), ['GET', 'HEAD', 'POST']);
    const byId = await send('PUT', '/v1/subscriptions/sub_1', auth());
    assertTypedProblem(byId, 405, '/problems/method-not-allowed');
    assert.ok(String(byId.headers.allow).split(', ').includes('PATCH'));
  });

  it('when the body has a media type the route does not take, then it answers 415 /problems/unsupported-media-type', async () => {
    for (const type of ['text/plain', 'application/xml']) {
      const answer = await send('POST', '/v1/subscriptions', { ...auth(), 'content-type': type }, 'hello');
      assertTypedProblem(answer, 415, '/problems/unsupported-media-type');
    }
  });

  it('when the body is larger than the limit, then it answers 413 /problems/payload-too-large', async () => {
    const payload = JSON.stringify({ description: 'x'.repeat(70 * 1024) });
    const answer = await send('POST', '/v1/subscriptions', { ...auth(), 'content-type': 'application/json' }, payload);
    assertTypedProblem(answer, 413, '/problems/payload-too-large');
  });

  it('when the JSON body does not parse or is empty, then it answers 400 /problems/malformed-request', async () => {
    const json = { ...auth(), 'content-type': 'application/json' };
    assertTypedProblem(await send('POST', '/v1/subscriptions', json, '{"plan": '), 400, '/problems/malformed-request');
    assertTypedProblem(await send('POST', '/v1/subscriptions', json, ''), 400, '/problems/malformed-request');
  });

  it('when an integer query parameter is not an integer, then it answers 400 naming limit', async () => {
    for (const limit of ['1.5', 'true', '0x10', '1e1', ' ']) {
      const answer = await send('GET', `/v1/subscriptions?limit=${encodeURIComponent(limit)}`, auth());
      assertProblem(answer, 400, 'limit');
      assert.equal(answer.body.type, '/problems/invalid-request');
    }
    const events = await send('GET', '/v1/subscriptions/sub_1/exchanges?limit=2.5', auth());
    assertProblem(events, 400, 'limit');
    assert.equal((await send('GET', '/v1/subscriptions?limit=2', auth())).status, 200, 'an integer is still read');
  });
});
