// The database layer: pool, migrations and repositories. Amounts are JS numbers (checked safe integers) of
// minor units, instants ISO 8601 strings, calendar dates 'YYYY-MM-DD', nullable columns null.
export { closePool, createPool, withTransaction, type PoolOptions, type Queryable } from './pool.js';
export { migrate, type AppliedMigration } from './migrate.js';
export { MIGRATIONS, type Migration } from './migrations/index.js';
export { sha256Hex } from './row-values.js';
export { decodeCursor, encodeCursor, type CursorPosition } from './page-cursor.js';
export * from './merchant-repository.js';
export * from './api-key-repository.js';
export * from './merchant-credentials-repository.js';
export * from './subscription-repository.js';
export { countSubscriptionsByStatus } from './subscription-counts.js';
export * from './charge-repository.js';
export * from './refund-repository.js';
export * from './exchange-repository.js';
export * from './event-repository.js';
export * from './event-outbox.js';
export * from './webhook-endpoint-repository.js';
export * from './webhook-delivery-repository.js';
export * from './notification-repository.js';
export * from './idempotency-repository.js';
export { ADVISORY_LOCKS, withAdvisoryLock } from './advisory-lock.js';
