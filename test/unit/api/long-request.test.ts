// fetchWithoutTimeLimit: the fetch subset the test clock's clients use, over node:http against a real server.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fetchWithoutTimeLimit } from '../../../src/api/long-request.js';

describe('fetchWithoutTimeLimit', () => {
  let server: Server;
  let base = '';
  const seen: { method?: string; auth?: string; body: string }[] = [];

  before(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method, auth: req.headers.authorization, body });
        if (req.url === '/empty') {
          res.writeHead(204).end();
          return;
        }
        // Answers late, as a test-clock advance with many due charges does.
        setTimeout(() => res.writeHead(422, { 'content-type': 'application/json' }).end('{"detail":"no"}'), 200);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the method, headers and body and returns status, headers and body', async () => {
    const response = await fetchWithoutTimeLimit(`${base}/advance`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"to":"2027-01-01T00:00:00.000Z"}',
    });
    assert.equal(response.status, 422);
    assert.equal(response.ok, false);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.deepEqual(await response.json(), { detail: 'no' });
    assert.deepEqual(seen.at(-1), { method: 'POST', auth: 'Bearer k', body: '{"to":"2027-01-01T00:00:00.000Z"}' });
  });

  it('answers a 204 with an empty body and defaults to GET', async () => {
    const response = await fetchWithoutTimeLimit(`${base}/empty`);
    assert.equal(response.status, 204);
    assert.equal(await response.text(), '');
    assert.equal(seen.at(-1)?.method, 'GET');
  });

  it('fails at once when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(fetchWithoutTimeLimit(`http://127.0.0.1:${port}/`), /ECONNREFUSED/);
  });

  it('refuses a body it cannot send as is', async () => {
    await assert.rejects(
      fetchWithoutTimeLimit(`${base}/`, { method: 'POST', body: new Uint8Array([1]) }),
      /string bodies only/,
    );
  });
});
