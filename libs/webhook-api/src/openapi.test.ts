import { compileErrors, validate } from '@readme/openapi-parser';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ApiDeps } from './api-deps';
import { buildApi } from './build-api';
import { registerOpenApi } from './openapi';

/** Serving the document calls no dependency; any call would throw here. */
const untouchedDeps = new Proxy({} as ApiDeps, {
  get: (_target, name) => () => {
    throw new Error(`the document needed deps.${String(name)}`);
  },
});

async function servedDocument() {
  const app = await buildApi(untouchedDeps, {
    limits: {
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      maxConcurrentRequests: 8,
      authFailuresPerMinute: 20,
      trustProxy: '',
    },
    quotas: { webhooksPerGoodsOwner: 50, createsPerMinute: 10, testsPerMinute: 10, rotationsPerMinute: 3 },
  });
  const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  await app.close();
  return { response, document: response.json() as { paths: Record<string, Record<string, unknown>> } };
}

describe('GET /api/openapi.json', () => {
  it('answers without an API key', async () => {
    const { response } = await servedDocument();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const { document } = await servedDocument();
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
  });

  it('refuses an /api route registered without a doc', async () => {
    const app = Fastify();
    registerOpenApi(app);
    expect(() => app.get('/api/undocumented', async () => ({}))).toThrow(
      /GET \/api\/undocumented has no doc/,
    );
    await app.close();
  });

  it('lists the routes the app serves', async () => {
    const { document } = await servedDocument();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/webhooks',
        '/api/webhooks/{id}/test',
        '/api/webhooks/{id}/deliveries/{deliveryId}/resend',
      ]),
    );
  });

  it('documents the webhook body from the schema that validates it', async () => {
    const { document } = await servedDocument();
    const create = document.paths['/api/webhooks']?.post as {
      requestBody: {
        content: { 'application/json': { schema: { required: string[]; additionalProperties: boolean } } };
      };
    };
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['name', 'eventType', 'kind', 'url', 'email']);
    expect(body.additionalProperties).toBe(false);
  });
});
