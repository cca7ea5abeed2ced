// Reads the sandbox state file at start and writes it back after changes: batched, atomic (temp file +
// rename, so a crash leaves the old or the new file, never half of one), and flushed on close.
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeState, stateFileError, type StateFileContent } from './state-snapshot.js';

/** The file's decoded content, or undefined when there is no file yet. */
export function readStateFile(path: string): StateFileContent | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw stateFileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  return decodeState(path, text);
}

/** Writes `encode()` to `path` at most once per `delayMs` after a change, and on `flush()`. */
export class StateFileWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly encode: () => string,
    private readonly delayMs = 250,
  ) {
    // A folder that cannot be created is known at start, not at the first write.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }

  /** Notes a change; the write follows within `delayMs`, one write for every change in between. */
  changed(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      // A failed background write is tried again by the next change and by flush() on close, which reports it.
      void this.write().catch(() => undefined);
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes now, after any write in progress; rejects if the write fails. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.write();
  }

  private write(): Promise<void> {
    // Encoded when its turn comes, so every write carries the latest state.
    const next = this.writing.then(async () => {
      const text = this.encode();
      const temp = `${this.path}.${process.pid}.tmp`;
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await writeFile(temp, text, { mode: 0o600 });
      await rename(temp, this.path);
    });
    this.writing = next.catch(() => undefined);
    return next;
  }
}
