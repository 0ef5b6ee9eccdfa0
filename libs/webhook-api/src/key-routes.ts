import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiDeps } from './api-deps';
import { apiKeyListAnswer, createdApiKeyAnswer, principalAnswer } from './api-schemas';
import { forbidden } from './authenticate';
import { documented, problems } from './openapi';
import { badRequest } from './problems';

const keyInput = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200, 'may be at most 200 characters'),
    role: z.enum(['admin', 'goods-owner'], { error: 'must be "admin" or "goods-owner"' }),
    goodsOwnerIds: z
      .array(z.number().int('must be whole numbers').positive('must be positive'), {
        error: 'must be an array of numbers',
      })
      .default([]),
  })
  .strict()
  .refine((input) => input.role === 'admin' || input.goodsOwnerIds.length > 0, {
    path: ['goodsOwnerIds'],
    message: 'a goods-owner key needs at least one goods owner',
  });

async function adminOnly(request: FastifyRequest, reply: FastifyReply) {
  if (request.principal.role !== 'admin') return forbidden(reply, 'managing API keys is admin-only');
}

export function registerKeyRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get(
    '/api/me',
    documented({
      operationId: 'getCaller',
      summary: 'The key making the call: its name, role and goods owners',
      tag: 'keys',
      responses: { 200: { description: 'The caller.', schema: principalAnswer } },
    }),
    async (request) => request.principal,
  );

  app.get(
    '/api/keys',
    {
      preHandler: adminOnly,
      ...documented({
        operationId: 'listApiKeys',
        summary: 'Every API key, revoked ones included (admin)',
        tag: 'keys',
        responses: {
          200: { description: 'The keys, without secrets.', schema: apiKeyListAnswer },
          ...problems(403),
        },
      }),
    },
    async () => ({ items: await deps.apiKeys.list() }),
  );

  app.post(
    '/api/keys',
    {
      preHandler: adminOnly,
      ...documented({
        operationId: 'createApiKey',
        summary: 'Create an API key (admin)',
        description: 'Answers with the key itself, the only time it is shown.',
        tag: 'keys',
        body: { schema: keyInput, required: true },
        responses: { 201: { description: 'Created.', schema: createdApiKeyAnswer }, ...problems(400, 403) },
      }),
    },
    async (request, reply) => {
      const parsed = keyInput.safeParse(request.body ?? {});
      if (!parsed.success) {
        return badRequest(
          reply,
          parsed.error.issues.map((issue) => ({
            field: issue.path.join('.') || '(body)',
            message: issue.message,
          })),
        );
      }
      const { key, record } = await deps.apiKeys.create(parsed.data, new Date(deps.now()));
      return reply.code(201).send({ ...record, key });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/keys/:id',
    {
      preHandler: adminOnly,
      ...documented({
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key (admin)',
        tag: 'keys',
        params: { id: "The key's id, as the list shows it." },
        responses: { 204: { description: 'Revoked.' }, ...problems(403, 404) },
      }),
    },
    async (request, reply) => {
      if (!(await deps.apiKeys.revoke(request.params.id, new Date(deps.now())))) {
        return reply.code(404).send({ error: 'no such key, or it is already revoked' });
      }
      return reply.code(204).send();
    },
  );
}
