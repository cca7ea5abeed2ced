// Request schemas of the event and webhook endpoint routes.
import { Type, type Static } from '@sinclair/typebox';

const Cursor = Type.String({ minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' });
const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20 });

export const EventParams = Type.Object({ id: Type.String({ pattern: '^evt_[0-9a-f]{24}$' }) });
export const EndpointParams = Type.Object({ id: Type.String({ pattern: '^we_[0-9a-f]{24}$' }) });

export const ListEventsQuery = Type.Object(
  {
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'only events of this type' })),
    subscriptionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);

export const PageQuery = Type.Object(
  { limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) },
  {
    additionalProperties: false,
  },
);

const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'http or https URL the events are POSTed to' });
const EnabledEvents = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  minItems: 1,
  maxItems: 32,
  description: '["*"] for every event type, or a list of types',
});
const Description = Type.String({ maxLength: 200 });

export const CreateEndpointBody = Type.Object(
  { url: Url, enabledEvents: EnabledEvents, description: Type.Optional(Description) },
  { additionalProperties: false },
);

export const UpdateEndpointBody = Type.Object(
  {
    url: Type.Optional(Url),
    enabledEvents: Type.Optional(EnabledEvents),
    description: Type.Optional(Description),
    status: Type.Optional(
      Type.Union([Type.Literal('enabled'), Type.Literal('disabled')], {
        description: 'enabled (also after the engine disabled it) or disabled',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const RotateSecretBody = Type.Object(
  {
    overlapSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 86_400,
        default: 86_400,
        description: 'how long the old secret keeps signing beside the new one (default 24 h; 0 ends it now)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const RedeliverBody = Type.Object(
  { endpointId: Type.Optional(Type.String({ pattern: '^we_[0-9a-f]{24}$' })) },
  { additionalProperties: false },
);

export type ListEventsQuery = Static<typeof ListEventsQuery>;
export type PageQuery = Static<typeof PageQuery>;
export type CreateEndpointBody = Static<typeof CreateEndpointBody>;
export type UpdateEndpointBody = Static<typeof UpdateEndpointBody>;
export type RotateSecretBody = Static<typeof RotateSecretBody>;
export type RedeliverBody = Static<typeof RedeliverBody>;
