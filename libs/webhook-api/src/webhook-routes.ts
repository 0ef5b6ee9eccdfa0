import { randomUUID } from 'node:crypto';
import { accessToGoodsOwner, accessToWebhook } from '@wms-webhooks/access';
import {
  newSigningSecret,
  parseWebhookSettings,
  toPublicWebhook,
  type Webhook,
  type WebhookSettings,
} from '@wms-webhooks/webhooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from './api-deps';
import { forbidden } from './authenticate';
import { testTask } from './manual-tasks';
import { badRequest } from './problems';
import type { QuotaGuard } from './quotas';
import { accessibleWebhook } from './webhook-access';

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

/** Parses and checks settings a caller wants to save: fields, the SSRF guard, and the key's reach. */
async function acceptableSettings(
  deps: ApiDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  existing?: Webhook,
): Promise<WebhookSettings | undefined> {
  const parsed = parseWebhookSettings(request.body, existing?.auth);
  if (!parsed.ok) return void (await badRequest(reply, parsed.problems));
  const verdict = accessToWebhook(request.principal, parsed.value);
  if (!verdict.allowed) return void (await forbidden(reply, verdict.reason));
  const refusal = await deps.checkTarget(parsed.value.url);
  if (refusal) return void (await badRequest(reply, [{ field: 'url', message: refusal }]));
  return parsed.value;
}

async function replaceWebhook(
  deps: ApiDeps,
  reply: FastifyReply,
  existing: Webhook,
  changes: Partial<Webhook>,
) {
  const updated: Webhook = {
    ...existing,
    ...changes,
    version: existing.version + 1,
    updatedAt: new Date(deps.now()),
  };
  if (!(await deps.webhooks.replace(updated, existing.version))) {
    await reply
      .code(409)
      .send({ error: 'the webhook was changed by someone else meanwhile; reload and try again' });
    return undefined;
  }
  await announce(deps, updated.id, updated.version, 'UPSERTED');
  return updated;
}

async function listVisible(
  deps: ApiDeps,
  request: FastifyRequest,
  goodsOwnerId?: number,
): Promise<Webhook[]> {
  const { principal } = request;
  if (goodsOwnerId !== undefined) return deps.webhooks.listForGoodsOwner(goodsOwnerId);
  if (principal.role === 'admin') return deps.webhooks.listAll();
  const lists = await Promise.all(principal.goodsOwnerIds.map((id) => deps.webhooks.listForGoodsOwner(id)));
  return [...new Map(lists.flat().map((webhook) => [webhook.id, webhook])).values()];
}

export function registerWebhookRoutes(app: FastifyInstance, deps: ApiDeps, quota: QuotaGuard) {
  app.post('/api/webhooks', async (request, reply) => {
    const settings = await acceptableSettings(deps, request, reply);
    if (!settings) return reply;
    if (!(await quota.admitCount(request, reply, settings.goodsOwnerIds))) return reply;
    if (!(await quota.admitRate(request, reply, 'create', settings.goodsOwnerIds))) return reply;
    const now = new Date(deps.now());
    const webhook: Webhook = {
      ...settings,
      id: randomUUID(),
      signingSecret: newSigningSecret(),
      previousSigningSecrets: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await deps.webhooks.insert(webhook);
    await announce(deps, webhook.id, webhook.version, 'UPSERTED');
    return reply
      .code(201)
      .send({ ...toPublicWebhook(webhook, deps.now()), signingSecret: webhook.signingSecret });
  });

  app.get<{ Querystring: { goodsOwnerId?: string } }>('/api/webhooks', async (request, reply) => {
    const { goodsOwnerId } = request.query;
    let owner: number | undefined;
    if (goodsOwnerId !== undefined) {
      if (!/^\d+$/.test(goodsOwnerId) || Number(goodsOwnerId) <= 0) {
        return badRequest(reply, [{ field: 'goodsOwnerId', message: 'must be a positive integer' }]);
      }
      owner = Number(goodsOwnerId);
      const verdict = accessToGoodsOwner(request.principal, owner);
      if (!verdict.allowed) return forbidden(reply, verdict.reason);
    }
    const visible = (await listVisible(deps, request, owner)).filter(
      (webhook) => accessToWebhook(request.principal, webhook).allowed,
    );
    const activity = await deps.webhookActivity(visible.map((webhook) => webhook.id));
    return {
      items: visible.map((webhook) => ({
        ...toPublicWebhook(webhook, deps.now()),
        activity: activity.get(webhook.id),
      })),
    };
  });

  app.get<IdParams>('/api/webhooks/:id', async (request, reply) => {
    const webhook = await accessibleWebhook(deps, request, reply, request.params.id);
    return webhook ? toPublicWebhook(webhook, deps.now()) : reply;
  });

  app.put<IdParams>('/api/webhooks/:id', async (request, reply) => {
    const existing = await accessibleWebhook(deps, request, reply, request.params.id);
    if (!existing) return reply;
    const settings = await acceptableSettings(deps, request, reply, existing);
    if (!settings) return reply;
    const added = settings.goodsOwnerIds.filter((owner) => !existing.goodsOwnerIds.includes(owner));
    if (!(await quota.admitCount(request, reply, added))) return reply;
    const updated = await replaceWebhook(deps, reply, existing, settings);
    return updated ? toPublicWebhook(updated, deps.now()) : reply;
  });

  app.delete<IdParams>('/api/webhooks/:id', async (request, reply) => {
    const existing = await accessibleWebhook(deps, request, reply, request.params.id);
    if (!existing) return reply;
    if (!(await deps.webhooks.delete(existing.id)))
      return reply.code(404).send({ error: 'webhook not found' });
    await announce(deps, existing.id, existing.version + 1, 'DELETED');
    return reply.code(204).send();
  });

  app.post<IdParams>('/api/webhooks/:id/test', async (request, reply) => {
    const webhook = await accessibleWebhook(deps, request, reply, request.params.id);
    if (!webhook) return reply;
    if (!(await quota.admitRate(request, reply, 'test', webhook.goodsOwnerIds))) return reply;
    const task = testTask(webhook, deps.now());
    await deps.enqueueDelivery(task);
    return reply.code(202).send({ deliveryId: task.deliveryId, eventId: task.eventId });
  });

  /**
   * A new signing secret, shown once. The old one keeps signing beside it for the grace period
   * (Standard Webhooks allows several signatures per header), so receivers can switch without a gap.
   * Only that one: a secret rotated out earlier stops signing now, so the header stays two signatures.
   */
  app.post<IdParams>('/api/webhooks/:id/rotate-secret', async (request, reply) => {
    const existing = await accessibleWebhook(deps, request, reply, request.params.id);
    if (!existing) return reply;
    if (!(await quota.admitRate(request, reply, 'rotate', existing.goodsOwnerIds))) return reply;
    const now = deps.now();
    const previousValidUntil = new Date(now + deps.secretGraceMs);
    const updated = await replaceWebhook(deps, reply, existing, {
      signingSecret: newSigningSecret(),
      previousSigningSecrets: [{ secret: existing.signingSecret, expiresAt: previousValidUntil }],
    });
    if (!updated) return reply;
    return { ...toPublicWebhook(updated, now), signingSecret: updated.signingSecret };
  });
}
