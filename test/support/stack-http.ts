// HTTP access to a running dev stack for end-to-end tests: the API with the stack's key, the sandbox's
// /_sandbox control API and its hosted payment page, each answering status and parsed JSON.
import type { RunningStack } from '../../src/dev/stack.js';

/** A JSON answer: the status and the parsed body ({} when empty). */
export interface JsonAnswer {
  status: number;
  body: any;
}

async function jsonAnswer(response: Response): Promise<JsonAnswer> {
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/** Calls the API of `stack` with its API key; a body is sent as JSON. */
export async function callApi(
  stack: Pick<RunningStack, 'apiUrl' | 'apiKey'>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonAnswer> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${stack.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return jsonAnswer(response);
}

/** Calls the sandbox's control API (`path` under /_sandbox) of `stack`. */
export async function callSandbox(
  stack: Pick<RunningStack, 'sandboxUrl'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonAnswer> {
  if (!stack.sandboxUrl) throw new TypeError('the stack runs without the sandbox');
  const response = await fetch(`${stack.sandboxUrl}/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return jsonAnswer(response);
}

/** Approves a payment on the sandbox's hosted page as a browser would (form POST), with a stored card if given. */
export async function approveOnPage(webPaymentUrl: string, customerToken?: string): Promise<number> {
  const form = new URLSearchParams({ action: 'approve', ...(customerToken ? { customerToken } : {}) });
  const response = await fetch(webPaymentUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  await response.text();
  return response.status;
}
