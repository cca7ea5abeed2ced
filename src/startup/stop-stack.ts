// What a start-up has started so far, stopped newest first when a later step fails or on shutdown.

/** Longest a single stop may take before the next one runs anyway. */
export const STOP_TIMEOUT_MS = 30_000;

type Stop = () => unknown;

/** A stack of stops; once stopped, anything pushed later is stopped at once (a start that lost a race). */
export class StopStack {
  /**
   * Runs `build` with a fresh stack; when it fails, whatever it had started is stopped (newest first) before its
   * error is thrown, so a start-up that fails half-way leaves nothing running.
   */
  static async startAll<T>(build: (started: StopStack) => Promise<T>): Promise<T> {
    const started = new StopStack();
    try {
      return await build(started);
    } catch (error) {
      await started.stopAll(() => {});
      throw error;
    }
  }

  readonly #stops: Array<{ name: string; stop: Stop }> = [];
  #stopped = false;

  /** Records how to stop `name`; stops it right away when the stack has already been stopped. */
  push(name: string, stop: Stop): void {
    if (this.#stopped) void runStop(stop).catch(() => {});
    else this.#stops.push({ name, stop });
  }

  /**
   * Stops everything, newest first. A stop that throws or hangs does not keep the others from running; it
   * goes to `onError` when given, else the first such error is thrown once all have run.
   */
  async stopAll(onError?: (name: string, error: unknown) => void): Promise<void> {
    this.#stopped = true;
    const failures: unknown[] = [];
    for (let entry = this.#stops.pop(); entry; entry = this.#stops.pop()) {
      try {
        await runStop(entry.stop);
      } catch (error) {
        if (onError) onError(entry.name, error);
        else failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}

async function runStop(stop: Stop): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not stop within ${STOP_TIMEOUT_MS / 1000} s`)), STOP_TIMEOUT_MS);
  });
  try {
    await Promise.race([Promise.resolve().then(stop), hung]);
  } finally {
    clearTimeout(timer);
  }
}
