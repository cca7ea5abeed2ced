// Small HTTP helpers: bounded body reading and the shapes route handlers answer with.
import type { IncomingMessage } from 'node:http';

/** A complete HTTP answer. */
export interface RouteResult {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Either an answer, or an instruction to hold the connection without answering (timeout fault). */
export type RouteOutcome = RouteResult | { readonly hold: true; readonly holdMs?: number };

/** An error that maps to one HTTP status and a short, non-sensitive message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a request body as UTF-8, refusing more than 1 MiB (HTTP 413). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A plain-text answer. */
export function textResult(status: number, body: string): RouteResult {
  return { status, contentType: 'text/plain; charset=utf-8', body };
}

/** A JSON answer. */
export function jsonResult(status: number, value: unknown): RouteResult {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}

/** An HTML answer. */
export function htmlResult(status: number, body: string): RouteResult {
  return { status, contentType: 'text/html; charset=utf-8', body };
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
