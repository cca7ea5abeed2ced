// The error for a command line the CLI cannot act on: unknown command or op, missing or malformed flags.

/** A bad command line, found before any request is made. */
export class UsageError extends Error {
  readonly code = 'ERR_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
