// Which 2C2P credentials serve which merchant: PostgreSQL rows opened with the master key, cached for a bounded
// time and number, with the TWOC2P_* merchant as a one-merchant shortcut when it has no row.
import type { Queryable } from '../db/index.js';
import { getSealedCredentials, getSealedCredentialsByGatewayId, type SealedCredentialsRow } from '../db/index.js';
import type { MasterKey } from './master-key.js';
import { openCredentials, type MerchantCredentials } from './merchant-credentials.js';

/** Five minutes: a rotation reaches every process within that, and a busy worker reads each row rarely. */
export const DEFAULT_CREDENTIALS_TTL_MS = 5 * 60_000;
export const DEFAULT_CREDENTIALS_CACHE_SIZE = 1000;

export interface CredentialsProviderOptions {
  db: Queryable;
  /** Opens stored rows; without it only the environment merchant can be served. */
  masterKey?: MasterKey;
  /** The TWOC2P_* merchant, used when no row exists for it. */
  environmentMerchant?: MerchantCredentials;
  ttlMs?: number;
  maxEntries?: number;
  /** Milliseconds since the epoch; tests move it to expire entries. */
  now?: () => number;
}

interface Entry {
  expiresAt: number;
  value: Promise<MerchantCredentials | undefined>;
}

/** Looks up and caches opened credentials by Recur's merchant id or by 2C2P's. */
export class CredentialsProvider {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: CredentialsProviderOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CREDENTIALS_TTL_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_CREDENTIALS_CACHE_SIZE;
    if (!(this.ttlMs > 0)) throw new RangeError('ttlMs must be positive');
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1)
      throw new RangeError('maxEntries must be at least 1');
    this.now = options.now ?? Date.now;
  }

  /** The credentials of Recur's merchant `merchantId`, or undefined when it has none. */
  credentialsFor(merchantId: string): Promise<MerchantCredentials | undefined> {
    return this.cached(`merchant:${merchantId}`, async () => {
      const row = await getSealedCredentials(this.options.db, merchantId);
      const fallback = this.options.environmentMerchant;
      return this.open(row) ?? (fallback?.merchantId === merchantId ? fallback : undefined);
    });
  }

  /** The credentials of the merchant 2C2P calls `gatewayMerchantId` (a notification's merchantID). */
  credentialsForGatewayMerchant(gatewayMerchantId: string): Promise<MerchantCredentials | undefined> {
    return this.cached(`gateway:${gatewayMerchantId}`, async () => {
      const row = await getSealedCredentialsByGatewayId(this.options.db, gatewayMerchantId);
      const fallback = this.options.environmentMerchant;
      return this.open(row) ?? (fallback?.gatewayMerchantId === gatewayMerchantId ? fallback : undefined);
    });
  }

  /** Drops every cached entry, so the next look-ups read PostgreSQL (after a rotation in this process). */
  clear(): void {
    this.entries.clear();
  }

  private open(row: SealedCredentialsRow | undefined): MerchantCredentials | undefined {
    return row && openCredentials(this.options.masterKey, row);
  }

  private cached(
    key: string,
    load: () => Promise<MerchantCredentials | undefined>,
  ): Promise<MerchantCredentials | undefined> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) {
      // Re-inserting keeps the Map in least-recently-used order, so eviction drops the coldest entry.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    this.entries.delete(key);
    const value = load();
    const entry: Entry = { expiresAt: now + this.ttlMs, value };
    this.entries.set(key, entry);
    // Concurrent callers share one query; a failure or a miss is not kept, so the next call asks again
    // (a merchant onboarded a moment later is found at once).
    value.then(
      (found) => found === undefined && this.forget(key, entry),
      () => this.forget(key, entry),
    );
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return value;
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
