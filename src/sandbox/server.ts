// The sandbox's node:http server: routes 2C2P paths (case-insensitive), the hosted page and /_sandbox controls.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxContext } from './context.js';
import { controlRoute } from './control-api.js';
import { hostedPageRoute } from './hosted-page.js';
import { HttpError, readBody, textResult, type RouteOutcome } from './http-io.js';
import { balanceInquiryRoute } from './routes/balance-inquiry.js';
import { paymentActionRoute } from './routes/payment-action.js';
import { paymentInquiryRoute } from './routes/payment-inquiry.js';
import { paymentTokenRoute } from './routes/payment-token.js';

/** One decoded request, as routes see it. */
export interface SandboxRequest {
  readonly method: string;
  /** Path as sent (tokens in it are case-sensitive). */
  readonly path: string;
  /** Path in lower case, for matching. */
  readonly lowerPath: string;
  readonly search: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A handler of one path (or path prefix). */
export type Route = (r: SandboxRequest, ctx: SandboxContext) => Promise<RouteOutcome>;

const GATEWAY_ROUTES: Readonly<Record<string, Route>> = {
  '/2c2pfrontend/paymentaction/2.0/action': paymentActionRoute,
  '/2c2pfrontend/paymentaction/2.0/balanceinquiry': balanceInquiryRoute,
  '/payment/4.3/paymenttoken': paymentTokenRoute,
  '/payment/4.3/paymentinquiry': paymentInquiryRoute,
};

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Serves one sandbox over HTTP; bound to 127.0.0.1 unless told otherwise. */
export class SandboxServer {
  private server: Server | undefined;
  private listenUrl: string | undefined;
  private readonly held = new Set<ServerResponse>();

  constructor(private readonly ctx: SandboxContext) {}

  /** The URL the server listens on, once listening. */
  get url(): string | undefined {
    return this.listenUrl;
  }

  /** Starts listening and resolves with the base URL. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.server) throw new Error('the sandbox is already listening');
    const server = createServer((req, res) => {
      void this.handle(req.method ?? 'GET', req.url ?? '/', req.headers, () => readBody(req), res);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.listenUrl = `http://${hostPart}:${address.port}`;
    return this.listenUrl;
  }

  /** Stops the server, ending held connections. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const res of this.held) res.destroy();
    this.held.clear();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(
    method: string,
    rawUrl: string,
    headers: IncomingHttpHeaders,
    body: () => Promise<string>,
    res: ServerResponse,
  ): Promise<void> {
    let outcome: RouteOutcome;
    try {
      const url = new URL(rawUrl, 'http://sandbox.invalid');
      const lowerPath = url.pathname.toLowerCase();
      const gateway = GATEWAY_ROUTES[lowerPath.replace(/\/+$/, '')];
      const route: Route | undefined =
        gateway ??
        (lowerPath.startsWith('/payment/4.3/pay/') ? hostedPageRoute : undefined) ??
        (lowerPath === '/_sandbox' || lowerPath.startsWith('/_sandbox/') ? controlRoute : undefined);
      if (!route) {
        outcome = textResult(404, 'Not Found');
      } else if (gateway && method !== 'POST') {
        outcome = { ...textResult(405, 'Method Not Allowed'), headers: { allow: 'POST' } };
      } else {
        const request = {
          method,
          path: url.pathname,
          lowerPath,
          search: url.searchParams,
          headers,
          body: await body(),
        };
        outcome = await route(request, this.ctx);
        if (gateway && this.ctx.faults.latencyMs > 0) await wait(this.ctx.faults.latencyMs);
      }
    } catch (error) {
      outcome =
        error instanceof HttpError ? textResult(error.status, error.message) : textResult(500, 'Internal Server Error');
    }
    // Any request may have changed the state (a refused one too: a token found expired).
    this.ctx.changed();
    this.respond(res, outcome);
  }

  private respond(res: ServerResponse, outcome: RouteOutcome): void {
    if ('hold' in outcome) {
      // A timeout fault: keep the socket open and silent, as a gateway that never answers would.
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      if (outcome.holdMs !== undefined) setTimeout(() => res.destroy(), outcome.holdMs).unref();
      return;
    }
    res.writeHead(outcome.status, {
      'content-type': outcome.contentType,
      'content-length': Buffer.byteLength(outcome.body),
      'cache-control': 'no-store',
      ...outcome.headers,
    });
    res.end(outcome.body);
  }
}
