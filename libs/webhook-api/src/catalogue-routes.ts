import { asyncApiDocument, catalogueVersion, eventCatalogue, eventTypes } from '@wms-webhooks/contracts';
import type { FastifyInstance } from 'fastify';
import { asyncApiAnswer, catalogueAnswer, eventTypesAnswer } from './api-schemas';
import { documented } from './openapi';

/** The event types a webhook may subscribe to: for the form, for integrators, and as AsyncAPI. */
export function registerCatalogueRoutes(app: FastifyInstance) {
  // Built once: the catalogue is fixed for the life of the process.
  const catalogue = { version: catalogueVersion, items: eventCatalogue() };
  const asyncApi = asyncApiDocument();

  app.get(
    '/api/catalogue',
    documented({
      operationId: 'getCatalogue',
      summary: 'Every event type with its description, filters, sample and payload schema',
      tag: 'catalogue',
      responses: { 200: { description: 'The catalogue.', schema: catalogueAnswer } },
    }),
    async () => catalogue,
  );

  app.get(
    '/api/catalogue/asyncapi.json',
    documented({
      operationId: 'getAsyncApi',
      summary: 'The catalogue as an AsyncAPI 3 document',
      description:
        'One channel per event type with the message a delivery POSTs: its Standard Webhooks headers, its envelope and payload schema, and a sample. Needs no key: it holds no data.',
      tag: 'catalogue',
      public: true,
      responses: { 200: { description: 'The AsyncAPI document.', schema: asyncApiAnswer } },
    }),
    async () => asyncApi,
  );

  app.get(
    '/api/event-types',
    documented({
      operationId: 'listEventTypes',
      summary: 'The event types with the attributes their filters may name',
      description: 'Superseded by `GET /api/catalogue`, which describes each filter and the payload.',
      tag: 'catalogue',
      deprecated: true,
      responses: { 200: { description: 'The event types.', schema: eventTypesAnswer } },
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
