import { eventTypes } from '@wms-webhooks/contracts';
import type { FastifyInstance } from 'fastify';

/** What the form offers: each event type with the attributes its filters may name. */
export function registerCatalogueRoutes(app: FastifyInstance) {
  app.get('/api/event-types', async () => ({
    items: eventTypes.map((spec) => ({
      eventType: spec.type,
      description: spec.description,
      filterableAttributes: spec.filterableAttributes,
    })),
  }));
}
