// Helpers for the CLI tests: run the real `recur` bin as a child process, and a server that counts requests.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Path of the real `recur` executable. */
export const RECUR_BIN = fileURLToPath(new URL('../../bin/recur.mjs', import.meta.url));

/** What one `recur` run produced. */
export interface RecurResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `recur args…` with exactly `env` (plus PATH and HOME), asynchronously so an in-process server keeps serving. */
export function recur(args: string[], env: NodeJS.ProcessEnv): Promise<RecurResult> {
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [RECUR_BIN, ...args],
      { env: { ...base, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Parses the JSON a successful `recur 2c2p` run printed. */
export function json(result: RecurResult): Record<string, unknown> {
  if (result.code !== 0) throw new Error(`recur exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** An HTTP server on 127.0.0.1 that answers 500 and counts every request it receives. */
export interface CountingServer {
  readonly baseUrl: string;
  readonly count: () => number;
  close(): Promise<void>;
}

/** Starts a CountingServer on a free port. */
export async function startCountingServer(): Promise<CountingServer> {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests += 1;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    count: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
