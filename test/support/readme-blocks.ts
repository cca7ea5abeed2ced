// The README's shell blocks as data, and a bash session that runs their commands the way a terminal would.
import { spawn } from 'node:child_process';

/** One ```sh block of a Markdown file, with the `<!-- readme-test: NAME -->` marker before it. */
export interface ShellBlock {
  /** The marker's NAME, `skip: REASON` for a block that cannot run in a test, undefined when it has none. */
  marker: string | undefined;
  /** 1-based line of the opening fence. */
  line: number;
  /** The block's lines as written. */
  lines: string[];
  /** Its commands: continuation lines joined, comment-only and blank lines dropped, trailing comments kept. */
  commands: string[];
}

const FENCE = /^```(?:sh|bash|shell)\s*$/;
const MARKER = /^<!--\s*readme-test:\s*(.+?)\s*-->$/;

/** Every shell block of `markdown`, in order. */
export function shellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!FENCE.test(lines[i] ?? '')) continue;
    let before = i - 1;
    while (before >= 0 && (lines[before] ?? '').trim() === '') before -= 1;
    const marker = MARKER.exec((lines[before] ?? '').trim())?.[1];
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new RangeError(`the shell block at line ${i + 1} is never closed`);
    const body = lines.slice(i + 1, end);
    blocks.push({ marker, line: i + 1, lines: body, commands: joinCommands(body) });
    i = end;
  }
  return blocks;
}

function joinCommands(lines: string[]): string[] {
  const commands: string[] = [];
  let pending = '';
  for (const line of lines) {
    if (pending === '' && /^\s*(#|$)/.test(line)) continue;
    if (line.endsWith('\\')) pending += `${line}\n`;
    else {
      commands.push(pending + line);
      pending = '';
    }
  }
  if (pending) commands.push(pending.trimEnd());
  return commands;
}

/**
 * Replaces each `<placeholder>` by its value; one without a value is a TypeError naming it, so a README
 * placeholder the test does not know cannot be sent to a shell as a redirection.
 */
export function fillPlaceholders(command: string, values: Readonly<Record<string, string>>): string {
  return command.replace(/<([A-Za-z][^<>\n]*)>/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TypeError(`no value for the placeholder <${name}> in: ${command}`);
    return value;
  });
}

/** What one command did. */
export interface CommandResult {
  command: string;
  status: number | null;
  stdout: string;
  stderr: string;
}

// `NAME=value` or `export NAME=value` alone (value a word, a quoted string or one `$(...)`), then a comment.
const ASSIGNMENT = /^(export\s+)?[A-Za-z_]\w*=(\$\([^)]*\)|"[^"]*"|'[^']*'|\S*)(\s+#.*)?$/;

/**
 * A terminal: each command runs in `bash` after the assignments and exports run before it (as a shell
 * keeps them), in `cwd`, asynchronously so servers in this process keep answering.
 */
export class ShellSession {
  private readonly assignments: string[] = [];

  constructor(
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Runs `command` (stdin closed, 120 s at most) and keeps it for later commands if it is an assignment. */
  async run(command: string): Promise<CommandResult> {
    const script = ['set -o pipefail', ...this.assignments, command].join('\n');
    const result = await new Promise<CommandResult>((resolve, reject) => {
      const child = spawn('bash', ['-c', script], { cwd: this.cwd, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.once('error', reject);
      child.once('close', (status) => {
        clearTimeout(timer);
        resolve({ command, status, stdout, stderr });
      });
    });
    if (result.status === 0 && ASSIGNMENT.test(command.trim())) this.assignments.push(command.trim());
    return result;
  }
}

/** The string fields of the JSON object `text` holds, or none when it is not one. */
export function jsonFields(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}
