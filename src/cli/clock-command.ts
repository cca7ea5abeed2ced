// `recur clock show` and `recur clock advance 30d|--to ISO`: the test clock of a sandbox deployment, through
// the API (RECUR_API_URL, default http://127.0.0.1:3000, and RECUR_API_KEY, the key `npm run dev` prints).
import { fetchWithoutTimeLimit } from '../api/long-request.js';
import type { CommandIo } from './gateway-command.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: recur clock show | recur clock advance <30d|12h|90m> | recur clock advance --to <ISO date-time>';

export async function clockCommand(
  argv: string[],
  io: CommandIo,
  fetchFn: typeof fetch = fetchWithoutTimeLimit,
): Promise<void> {
  const [sub, ...rest] = argv;
  const base = (io.env.RECUR_API_URL?.trim() || 'http://127.0.0.1:3000').replace(/\/+$/, '');
  const key = io.env.RECUR_API_KEY?.trim();
  if (!key) throw new UsageError('RECUR_API_KEY: is required (the API key `npm run dev` prints)');
  let request: { method: string; path: string; body?: unknown };
  if (sub === 'show' && rest.length === 0) request = { method: 'GET', path: '/v1/test-clock' };
  else if (sub === 'advance' && rest.length === 1 && rest[0] !== undefined && !rest[0].startsWith('--')) {
    request = { method: 'POST', path: '/v1/test-clock/advance', body: { by: rest[0] } };
  } else if (sub === 'advance' && rest.length === 2 && rest[0] === '--to') {
    request = { method: 'POST', path: '/v1/test-clock/advance', body: { to: rest[1] } };
  } else throw new UsageError(USAGE);

  let response: Response;
  try {
    response = await fetchFn(`${base}${request.path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(request.body ? { 'content-type': 'application/json' } : {}),
      },
      body: request.body ? JSON.stringify(request.body) : undefined,
    });
  } catch (error) {
    throw new Error(`cannot reach the API at ${base} (RECUR_API_URL): ${(error as Error).message}`, { cause: error });
  }
  const body = (await response.json().catch(() => ({}))) as { now?: string; subscriptions?: number; detail?: string };
  if (response.status === 404) throw new Error(`${base} has no test clock: it runs against real 2C2P, or is not Recur`);
  if (!response.ok) throw new Error(`the API answered ${response.status}: ${body.detail ?? 'no detail'}`);
  io.out(
    body.subscriptions === undefined
      ? `test clock: ${body.now}`
      : `test clock: ${body.now} (${body.subscriptions} running subscriptions told)`,
  );
}
