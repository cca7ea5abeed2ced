// OpenAPI details shared by routes: the bearer security requirement and the Idempotency-Key header.
import { Type } from '@sinclair/typebox';

/** Marks a route as needing the bearer API key, under the "subscriptions" tag. */
export const SECURED = { security: [{ apiKey: [] }], tags: ['subscriptions'] } as const;

/** The optional Idempotency-Key header of POST and PATCH routes. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description:
        'repeat a request safely: the same key and body replay the first answer, and a retry after a 5xx is tied to the first attempt',
    }),
  ),
});
