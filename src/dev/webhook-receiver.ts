// The dev stack's webhook receiver: POST /_dev/webhooks records each delivery and whether its Recur-Signature
// verifies; GET /_dev/webhooks lists them (newest first) with the delay from the event to its arrival.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyRecurSignature } from '../domain/webhook-signature.js';

/** One delivery as the receiver saw it. */
export interface ReceivedDelivery {
  eventId: string;
  type: string;
  receivedAt: string;
  signatureVerified: boolean;
  /** From the event's createdAt to its arrival here, in ms. */
  latencyMs: number;
}

export interface DevWebhookReceiver {
  /** Where endpoints POST: `http://127.0.0.1:<port>/_dev/webhooks`. */
  url: string;
  received: ReceivedDelivery[];
  /** The secret deliveries are verified with (set once the dev endpoint is known). */
  setSecret(secret: string): void;
  close(): Promise<void>;
}

const PATH = '/_dev/webhooks';
const KEPT = 500;

/** The `q` quantile (0..1) of `values`, by nearest rank. */
function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? null;
}

/** Starts the receiver on 127.0.0.1:`port` (0 for any). */
export async function startDevWebhookReceiver(port: number): Promise<DevWebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  let secret = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== PATH) return void res.writeHead(404).end();
    if (req.method === 'GET') {
      const latencies = received.map((r) => r.latencyMs);
      const summary = { count: received.length, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99) };
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(`${JSON.stringify({ latency: summary, deliveries: [...received].reverse() }, null, 2)}\n`);
    }
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'GET, POST' }).end();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let signatureVerified = false;
      try {
        verifyRecurSignature(raw, req.headers['recur-signature'] as string | undefined, secret);
        signatureVerified = true;
      } catch {
        // Recorded as not verified: the point of this receiver is to show it.
      }
      try {
        const event = JSON.parse(raw.toString('utf8')) as { id?: string; type?: string; createdAt?: string };
        const now = Date.now();
        received.push({
          eventId: String(event.id),
          type: String(event.type),
          receivedAt: new Date(now).toISOString(),
          signatureVerified,
          latencyMs: now - Date.parse(String(event.createdAt)),
        });
        if (received.length > KEPT) received.shift();
      } catch {
        return void res.writeHead(400).end('not JSON\n');
      }
      res.writeHead(signatureVerified ? 200 : 400).end(signatureVerified ? 'ok\n' : 'bad signature\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`,
    received,
    setSecret: (value) => {
      secret = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
