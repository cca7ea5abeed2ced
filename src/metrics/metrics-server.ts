// A small HTTP server with GET /metrics for a process that has no HTTP server of its own (the worker).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { bearerTokenMatches } from './metrics-token.js';

export interface MetricsServerOptions {
  registry: Registry;
  port: number;
  /** Default 0.0.0.0, so Prometheus in another container can reach it. */
  host?: string;
  /** When set, a scrape must send `Authorization: Bearer <token>` (METRICS_TOKEN). */
  token?: string;
}

export interface RunningMetricsServer {
  /** http://host:port/metrics */
  url: string;
  close(): Promise<void>;
}

/** Listens on `port` and answers GET /metrics in the Prometheus text format; rejects when it cannot listen. */
export async function startMetricsServer(options: MetricsServerOptions): Promise<RunningMetricsServer> {
  const { registry, token } = options;
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return void response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end();
    if (token !== undefined && !bearerTokenMatches(request.headers.authorization, token))
      return void response.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' }).end();
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n'),
    );
  });
  const host = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
