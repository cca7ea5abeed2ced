// The shape of one schema migration: plain SQL in a TS module, so the bundle needs no copied .sql files.

/** One forward-only schema change, applied once in its own transaction. */
export interface Migration {
  /** Positive integer; migrations apply in ascending order and a version never changes meaning. */
  readonly version: number;
  /** Short kebab-case label stored next to the version. */
  readonly name: string;
  /** One or more SQL statements, run as a single simple query. */
  readonly sql: string;
}
