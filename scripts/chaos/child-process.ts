// One part of the engine run as its own OS process, so the chaos run can SIGKILL it and start it again with
// the same environment. Output goes to a log file per part; readiness is a line the part prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface ChildSpec {
  /** Name in logs and results, e.g. "worker-1". */
  readonly name: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  /** The part is up once a line of its output matches. */
  readonly ready: RegExp;
  readonly readyTimeoutMs?: number;
}

/** A restartable child process. */
export class EngineChild {
  #child: ChildProcess | undefined;
  #log: WriteStream;
  starts = 0;
  failedStarts = 0;
  crashes = 0;
  #stopping = false;

  constructor(readonly spec: ChildSpec) {
    this.#log = createWriteStream(spec.logFile, { flags: 'a' });
  }

  /** The OS process id while it runs (to read its memory in /proc), else undefined. */
  get pid(): number | undefined {
    return this.running ? this.#child?.pid : undefined;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /**
   * Starts the process as a supervisor would (docker-compose's `restart: unless-stopped`): a part that exits
   * before it is ready (PostgreSQL still down, say) is started again, up to `attempts` times.
   */
  async start(attempts = 30): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.startOnce();
        this.#watch();
        return;
      } catch (error) {
        if (attempt >= attempts) throw error;
        this.failedStarts += 1;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  /** Exits nobody asked for: counted, and the part is started again. */
  #watch(): void {
    const child = this.#child;
    child?.once('exit', () => {
      if (this.#child !== child || this.#stopping) return;
      this.crashes += 1;
      this.#log.write(`--- ${new Date().toISOString()} exited on its own; starting again\n`);
      void this.start().catch(() => undefined);
    });
  }

  private async startOnce(): Promise<void> {
    this.starts += 1;
    this.#log.write(`--- ${new Date().toISOString()} start #${this.starts}\n`);
    const child = spawn(process.execPath, [...this.spec.args], {
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let waiting = true;
    let seen = '';
    const timeoutMs = this.spec.readyTimeoutMs ?? 120_000;
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        if (!waiting) return;
        waiting = false;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () => settle(new Error(`${this.spec.name}: not ready after ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        this.#log.write(chunk);
        if (!waiting) return;
        seen = (seen + chunk.toString('utf8')).slice(-8192);
        if (this.spec.ready.test(seen)) settle();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code, signal) =>
        settle(
          new Error(`${this.spec.name}: exited (${signal ?? code}) before it was ready; see ${this.spec.logFile}`),
        ),
      );
    });
  }

  /** Sends `signal` and waits for the exit (SIGKILL after 20 s if a softer signal is ignored). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    this.#stopping = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const forced = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(forced);
    this.#stopping = false;
    this.#log.write(`--- ${new Date().toISOString()} stopped by ${signal}\n`);
  }

  /** SIGKILL, then start again. */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
    await this.start();
  }

  async close(): Promise<void> {
    await this.stop('SIGTERM');
    await new Promise<void>((resolve) => this.#log.end(resolve));
  }
}
