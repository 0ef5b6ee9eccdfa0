import { z } from 'zod';
import type { PayloadSchema } from './event-payloads';
import { type EventTypeSpec, eventTypes, filterDescriptions } from './event-types';
import { publishedJsonSchema } from './json-schema';

/** The catalogue's contract version: a type added raises the minor; a type is never renamed or removed. */
export const catalogueVersion = '1.1.0';

/** The JSON body every delivery POSTs, around an event type's payload in `data` (delivery-request.ts). */
export function deliveryEnvelope(eventType: string, payload: PayloadSchema) {
  return z.object({
    eventId: z
      .string()
      .describe('Unique per event; a receiver de-duplicates on it (or on the webhook-id header).'),
    eventType: z.literal(eventType),
    occurredAt: z.iso.datetime().describe('When it happened in the WMS.'),
    goodsOwnerId: z.number().int().describe('The goods owner (tenant) the event belongs to.'),
    warehouseId: z.string().nullable().describe('The warehouse, where the event has one.'),
    entityId: z.string().describe('The entity the event is about, e.g. the order id.'),
    webhookId: z.string().describe('The webhook this delivery is for.'),
    data: payload,
  });
}

/** Draft 7, which AsyncAPI's schema format extends. */
const jsonSchema = (schema: z.ZodType) => publishedJsonSchema(schema, { io: 'input', target: 'draft-7' });

export interface EventCatalogueEntry {
  eventType: string;
  description: string;
  filters: Array<{ attribute: string; description: string }>;
  sample: EventTypeSpec['sample'];
  payloadSchema: Record<string, unknown>;
}

export function eventCatalogue(): EventCatalogueEntry[] {
  return eventTypes.map((spec) => ({
    eventType: spec.type,
    description: spec.description,
    filters: spec.filterableAttributes.map((attribute) => ({
      attribute,
      description: filterDescriptions[attribute] ?? attribute,
    })),
    sample: spec.sample,
    payloadSchema: jsonSchema(spec.payload),
  }));
}

const signatureHeaders = {
  type: 'object',
  description: "Standard Webhooks headers; the webhook's own headers and authentication come beside them.",
  properties: {
    'webhook-id': {
      type: 'string',
      description: 'The delivery id: the same for every attempt of one event to one webhook.',
    },
    'webhook-timestamp': {
      type: 'string',
      description: 'Seconds since the epoch when this attempt was signed.',
    },
    'webhook-signature': {
      type: 'string',
      description:
        'Space-separated `v1,<base64 HMAC-SHA256>` of `id.timestamp.body`, one per active signing secret.',
    },
    'webhook-attempt': { type: 'string', description: 'The attempt number, from 1.' },
  },
  required: ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'webhook-attempt'],
};

/** `order.status_changed` → `orderStatusChanged`: an id for AsyncAPI's component keys and operation ids. */
function idOf(eventType: string): string {
  return eventType.replace(/[._](\w)/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * The catalogue as an AsyncAPI 3 document: one channel per event type (its address is each webhook's
 * own URL, so none is fixed), the operation that POSTs it, and the message with its headers, its
 * envelope and payload schema, and the sample Test sends.
 */
export function asyncApiDocument(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const spec of eventTypes) {
    const id = idOf(spec.type);
    messages[id] = {
      name: spec.type,
      title: spec.type,
      summary: spec.description,
      contentType: 'application/json',
      headers: { $ref: '#/components/schemas/webhookHeaders' },
      payload: jsonSchema(deliveryEnvelope(spec.type, spec.payload)),
      examples: [
        {
          name: 'sample',
          summary: 'What Test sends.',
          payload: {
            eventId: '00000000-0000-4000-8000-000000000000',
            eventType: spec.type,
            occurredAt: '2026-01-01T12:00:00.000Z',
            goodsOwnerId: 42,
            warehouseId: 'AMS-1',
            entityId: spec.sample.entityId,
            webhookId: '00000000-0000-4000-8000-000000000001',
            data: spec.sample.payload,
          },
        },
      ],
    };
    channels[id] = {
      address: null,
      title: spec.type,
      description: `${spec.description} POSTed to the URL of every enabled webhook of this type whose goods owners and filters (${spec.filterableAttributes.join(', ')}) match.`,
      messages: { [id]: { $ref: `#/components/messages/${id}` } },
    };
    operations[`send${id[0]?.toUpperCase()}${id.slice(1)}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${id}` },
      summary: `POST ${spec.type} to a webhook's URL`,
      messages: [{ $ref: `#/channels/${id}/messages/${id}` }],
      bindings: { http: { method: 'POST' } },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'WMS webhooks: event catalogue',
      version: catalogueVersion,
      description:
        "The events a WMS webhook may subscribe to. Each is POSTed as JSON to the webhook's URL, signed in the Standard Webhooks format, and retried per the webhook's policy until a 2xx answer.",
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages, schemas: { webhookHeaders: signatureHeaders } },
  };
}
