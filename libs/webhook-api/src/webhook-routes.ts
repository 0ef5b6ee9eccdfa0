import { randomUUID } from 'node:crypto';
import {
  newSigningSecret,
  parseWebhookSettings,
  toPublicWebhook,
  type Webhook,
} from '@wms-webhooks/webhooks';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps';
import { badRequest, isUuid, notFound } from './problems';
import { testTask } from './test-task';

type IdParams = { Params: { id: string } };

/**
 * The store is written first, then the change notice is published. If publishing fails the write still
 * stands and the services' periodic reload picks it up, so the API answers success and logs the failure.
 */
async function announce(deps: ApiDeps, webhookId: string, version: number, change: 'UPSERTED' | 'DELETED') {
  try {
    await deps.publishChange({ webhookId, version, change, changedAt: deps.now() });
  } catch (error) {
    deps.onPublishFailure(error, webhookId);
  }
}

export function registerWebhookRoutes(app: FastifyInstance, deps: ApiDeps) {
  const load = async (id: string): Promise<Webhook | undefined> =>
    isUuid(id) ? deps.webhooks.findById(id) : undefined;

  app.post('/api/webhooks', async (request, reply) => {
    const parsed = parseWebhookSettings(request.body);
    if (!parsed.ok) return badRequest(reply, parsed.problems);
    const refusal = await deps.checkTarget(parsed.value.url);
    if (refusal) return badRequest(reply, [{ field: 'url', message: refusal }]);
    const now = new Date(deps.now());
    const webhook: Webhook = {
      ...parsed.value,
      id: randomUUID(),
      signingSecret: newSigningSecret(),
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await deps.webhooks.insert(webhook);
    await announce(deps, webhook.id, webhook.version, 'UPSERTED');
    return reply.code(201).send({ ...toPublicWebhook(webhook), signingSecret: webhook.signingSecret });
  });

  app.get<{ Querystring: { goodsOwnerId?: string } }>('/api/webhooks', async (request, reply) => {
    const { goodsOwnerId } = request.query;
    if (goodsOwnerId === undefined) return { items: (await deps.webhooks.listAll()).map(toPublicWebhook) };
    if (!/^\d+$/.test(goodsOwnerId) || Number(goodsOwnerId) <= 0) {
      return badRequest(reply, [{ field: 'goodsOwnerId', message: 'must be a positive integer' }]);
    }
    return { items: (await deps.webhooks.listForGoodsOwner(Number(goodsOwnerId))).map(toPublicWebhook) };
  });

  app.get<IdParams>('/api/webhooks/:id', async (request, reply) => {
    const webhook = await load(request.params.id);
    return webhook ? toPublicWebhook(webhook) : notFound(reply, 'webhook');
  });

  app.put<IdParams>('/api/webhooks/:id', async (request, reply) => {
    const existing = await load(request.params.id);
    if (!existing) return notFound(reply, 'webhook');
    const parsed = parseWebhookSettings(request.body, existing.auth);
    if (!parsed.ok) return badRequest(reply, parsed.problems);
    const refusal = await deps.checkTarget(parsed.value.url);
    if (refusal) return badRequest(reply, [{ field: 'url', message: refusal }]);
    const updated: Webhook = {
      ...existing,
      ...parsed.value,
      version: existing.version + 1,
      updatedAt: new Date(deps.now()),
    };
    if (!(await deps.webhooks.replace(updated, existing.version))) {
      return reply
        .code(409)
        .send({ error: 'the webhook was changed by someone else meanwhile; reload and try again' });
    }
    await announce(deps, updated.id, updated.version, 'UPSERTED');
    return toPublicWebhook(updated);
  });

  app.delete<IdParams>('/api/webhooks/:id', async (request, reply) => {
    const existing = await load(request.params.id);
    if (!existing || !(await deps.webhooks.delete(existing.id))) return notFound(reply, 'webhook');
    await announce(deps, existing.id, existing.version + 1, 'DELETED');
    return reply.code(204).send();
  });

  app.post<IdParams>('/api/webhooks/:id/test', async (request, reply) => {
    const webhook = await load(request.params.id);
    if (!webhook) return notFound(reply, 'webhook');
    const task = testTask(webhook, deps.now());
    await deps.enqueueDelivery(task);
    return reply.code(202).send({ deliveryId: task.deliveryId, eventId: task.eventId });
  });
}
