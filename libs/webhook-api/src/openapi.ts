import { publishedJsonSchema } from '@wms-webhooks/contracts';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { errorAnswer, openApiAnswer, problemsAnswer } from './api-schemas';

/** What a route declares about itself; the OpenAPI document is built from these and nothing else. */
export interface RouteDoc {
  operationId: string;
  summary: string;
  description?: string;
  tag: 'webhooks' | 'logs' | 'keys' | 'catalogue';
  /** Path parameters, by name, with what each is. */
  params?: Record<string, string>;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; required: boolean };
  /** Answers besides the ones every authenticated route can give (401, 429, 503). */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Answers without an API key: authentication reads this, so the document cannot say otherwise. */
  public?: boolean;
  /** Kept for clients written against it; the description names what replaces it. */
  deprecated?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    doc?: RouteDoc;
  }
}

/** The path parameter of every route under /api/webhooks/:id. */
export const webhookIdParam = { id: "The webhook's id (a UUID)." };

/** The options that attach a route's documentation. */
export const documented = (doc: RouteDoc) => ({ config: { doc } });

const standardErrors: Record<number, string> = {
  400: 'The request is malformed; every problem is named.',
  403: 'The key may not reach this goods owner or route.',
  404: 'No such resource, or not one this key may see.',
  409: 'The resource is not in a state that allows this.',
  429: 'Too many failed authentications from this address, or a quota reached; see `Retry-After`.',
};

/** 400 answers carry the problem list; every other error the one-sentence shape. */
export const problems = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      code,
      {
        description: standardErrors[code] ?? 'Refused.',
        schema: code === 400 ? problemsAnswer : errorAnswer,
      },
    ]),
  );

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => publishedJsonSchema(schema, { io });

const json = (schema: z.ZodType, io: 'input' | 'output') => ({
  'application/json': { schema: jsonSchema(schema, io) },
});

interface DocumentedRoute {
  method: string;
  url: string;
  doc: RouteDoc;
}

function operation(doc: RouteDoc) {
  const parameters = [
    ...Object.entries(doc.params ?? {}).map(([name, description]) => ({
      name,
      in: 'path',
      required: true,
      description,
      schema: { type: 'string' },
    })),
    ...Object.entries(doc.query?.shape ?? {}).map(([name, schema]) => {
      const { description, ...valueSchema } = jsonSchema(schema as z.ZodType, 'input');
      return {
        name,
        in: 'query',
        required: !(schema as z.ZodType).safeParse(undefined).success,
        description,
        schema: valueSchema,
      };
    }),
  ];
  const responses: Record<string, unknown> = {};
  const answers = doc.public
    ? doc.responses
    : {
        ...doc.responses,
        401: { description: 'No API key, or one that is unknown or revoked.', schema: errorAnswer },
        ...problems(429),
        503: {
          description: 'The api is at its bound of requests in flight; see `Retry-After`.',
          schema: errorAnswer,
        },
      };
  for (const [code, answer] of Object.entries(answers)) {
    responses[code] = {
      description: answer.description,
      ...(answer.schema ? { content: json(answer.schema, 'output') } : {}),
    };
  }
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    ...(doc.deprecated ? { deprecated: true } : {}),
    ...(doc.public ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body
      ? { requestBody: { required: doc.body.required, content: json(doc.body.schema, 'input') } }
      : {}),
    responses,
  };
}

/** The API contract's version: a breaking change to a route raises the major. */
const apiVersion = '1.0.0';

/** The OpenAPI 3.1 document of the routes registered with a doc. */
export function openApiDocument(routes: readonly DocumentedRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(route.doc);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'WMS webhooks API',
      version: apiVersion,
      description:
        'Webhook definitions, Test, Logs, Resend and API keys. Every route but this document needs `Authorization: Bearer <API key>`.',
    },
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key: the admin key, or a goods-owner key.',
        },
      },
    },
    tags: [
      { name: 'webhooks', description: 'Definitions, Test and signing secrets.' },
      { name: 'logs', description: 'Delivery attempts, activity and Resend.' },
      { name: 'keys', description: 'API keys and quotas.' },
      { name: 'catalogue', description: 'The event types a webhook may subscribe to.' },
    ],
    paths,
  };
}

/**
 * Collects every route registered with a doc from here on, and serves their document at
 * `GET /api/openapi.json` (without a key: it holds nothing secret, and tooling fetches it). An /api
 * route without a doc stops the app from being built, so the document cannot leave one out.
 */
export function registerOpenApi(app: FastifyInstance) {
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (route) => {
    const doc = route.config?.doc;
    if (!doc) {
      if (route.url.startsWith('/api/'))
        throw new Error(`${route.method} ${route.url} has no doc: pass documented({...})`);
      return;
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, doc });
    }
  });
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get(
    '/api/openapi.json',
    documented({
      operationId: 'getOpenApi',
      summary: 'This document',
      tag: 'catalogue',
      public: true,
      responses: { 200: { description: 'The OpenAPI 3.1 document of every route.', schema: openApiAnswer } },
    }),
    async () => {
      document ??= openApiDocument(routes);
      return document;
    },
  );
}
