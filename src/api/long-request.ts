// A fetch for requests that may legitimately take many minutes, such as a test-clock advance that makes
// ten thousand charges fall due. Node's fetch (undici) gives up when the answer's headers take over 300 s,
// and undici is not ours to configure without depending on a second copy of it; node:http has no such limit.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * The subset of fetch the API's clients use (method, headers, a string body), without a time limit on the
 * answer. It still fails at once when the server cannot be reached or drops the connection.
 * @example const response = await fetchWithoutTimeLimit('http://127.0.0.1:3100/_sandbox/clock/advance', { method: 'POST', body: '{}' });
 */
export const fetchWithoutTimeLimit: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== 'string') {
    return Promise.reject(new TypeError('fetchWithoutTimeLimit sends string bodies only'));
  }
  return new Promise<Response>((resolve, reject) => {
    const req = send(url, {
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
    });
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const status = res.statusCode ?? 502;
        const empty = status === 204 || status === 304;
        resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers }));
      });
    });
    req.end(body ?? undefined);
  });
};
