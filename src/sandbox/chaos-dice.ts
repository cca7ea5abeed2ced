// Chaos decisions as pure functions of their inputs, so a seed replays the same mix whatever the arrival order.
import { createHash } from 'node:crypto';

/**
 * A number in [0, 1) fixed by the seed, the kind of decision, a stable key of the thing decided and how many
 * times that key has been seen (SHA-256 of the four; 48 bits of it).
 */
export function chaosRoll(seed: number | string, decision: string, key: string, occurrence: number): number {
  const digest = createHash('sha256')
    .update(JSON.stringify([seed, decision, key, occurrence]))
    .digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}
