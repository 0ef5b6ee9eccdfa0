import { eventTypes } from '@wms-webhooks/contracts';
import type { FastifyInstance } from 'fastify';
import { eventTypesAnswer } from './api-schemas';
import { documented } from './openapi';

/** What the form offers: each event type with the attributes its filters may name. */
export function registerCatalogueRoutes(app: FastifyInstance) {
  app.get(
    '/api/event-types',
    documented({
      operationId: 'listEventTypes',
      summary: 'The event types a webhook may subscribe to, with the attributes its filters may name',
      tag: 'catalogue',
      responses: { 200: { description: 'The catalogue.', schema: eventTypesAnswer } },
    }),
    async () => ({
      items: eventTypes.map((spec) => ({
        eventType: spec.type,
        description: spec.description,
        filterableAttributes: spec.filterableAttributes,
      })),
    }),
  );
}
