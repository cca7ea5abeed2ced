// Opaque keyset cursors for list endpoints: the (created_at, id) of the last row of a page.

/** The position after which the next page starts. */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

/** Encodes a position as an opaque base64url token for an API client to send back. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), 'utf8').toString('base64url');
}

/** Decodes a token from encodeCursor; RangeError when it was not made by encodeCursor. */
export function decodeCursor(cursor: string): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 2) {
    const [createdAt, id] = parsed as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt))) {
      return { createdAt, id };
    }
  }
  throw new RangeError('cursor is not valid');
}

/** Checks a page size: an integer from 1 to `max`. */
export function assertPageLimit(limit: number, max: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new RangeError(`limit must be an integer from 1 to ${max}`);
  }
}
