// Turns any failure inside a JOSE step (node:crypto or jose) into a GatewayProtocolError with a generic
// message (no payload text).
import { GatewayProtocolError } from '../errors.js';

/** Runs a JOSE step; every failure becomes a protocol error naming only what was being done. */
export async function joseStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof GatewayProtocolError) throw error;
    throw new GatewayProtocolError({
      reason: `${what} failed`,
      cause: error instanceof Error ? { name: error.name, code: (error as { code?: string }).code } : undefined,
    });
  }
}

/** Rejects anything that is not a compact serialization with the expected number of parts. */
export function assertParts(token: string, parts: 3 | 5, what: string): void {
  const count = typeof token === 'string' ? token.split('.').length : 0;
  if (count !== parts || !/^[A-Za-z0-9_\-.]+$/.test(token)) {
    throw new GatewayProtocolError({
      reason: `${what}: expected a compact token of ${parts} parts, got ${count === 0 ? 'no token' : `${count} parts`}`,
    });
  }
}
