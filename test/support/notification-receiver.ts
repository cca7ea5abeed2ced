// A merchant-side HTTP endpoint for tests: records every POST it receives, answers with scripted statuses.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A running receiver on 127.0.0.1 (port 0). */
export interface NotificationReceiver {
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** Answers the next requests with these statuses (then 200 again); `'hang'` never answers. */
  script(answers: (number | 'hang')[]): void;
  close(): Promise<void>;
}

/** Starts a receiver; every POST body is kept in `received`, in arrival order. */
export async function startNotificationReceiver(): Promise<NotificationReceiver> {
  const received: ReceivedRequest[] = [];
  const answers: (number | 'hang')[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.shift() ?? 200;
      if (answer === 'hang') return;
      res.writeHead(answer, { 'content-type': 'text/plain' });
      res.end(answer < 300 ? 'OK' : 'fail');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    received,
    script: (list) => answers.push(...list),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
