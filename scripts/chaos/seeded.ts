// Reproducible choices for a chaos run: each is a hash of the seed and a label, so the same seed makes the
// same plan however the run's concurrent parts interleave.
import { createHash } from 'node:crypto';

/** A number in [0, 1) fixed by the seed and the labels. */
export function unit(seed: number, ...labels: Array<string | number>): number {
  const digest = createHash('sha256')
    .update(`${seed}:${labels.join(':')}`)
    .digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** An integer in [0, n). */
export function below(seed: number, n: number, ...labels: Array<string | number>): number {
  return Math.floor(unit(seed, ...labels) * n);
}

/** The items in an order fixed by the seed. */
export function shuffled<T>(seed: number, items: readonly T[], label: string): T[] {
  return items
    .map((item, i) => ({ item, key: unit(seed, label, i) }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}
