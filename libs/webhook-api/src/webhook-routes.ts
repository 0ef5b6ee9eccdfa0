import { randomUUID } from 'node:crypto';
import { accessToGoodsOwner, accessToWebhook } from '@wms-webhooks/access';
import { testTask } from '@wms-webhooks/delivery';
import {
  newSigningSecret,
  parseWebhookSettings,
  toPublicWebhook,
  type Webhook,
  type WebhookSettings,
  webhookSettingsInput,
} from '@wms-webhooks/webhooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from './api-deps';
import {
  manualDeliveryAnswer,
  webhookAnswer,
  webhookListAnswer,
  webhookListQuery,
  webhookWithSecretAnswer,
} from './api-schemas';
import { forbidden } from './authenticate';
import { documented, problems, webhookIdParam } from './openapi';
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
  app.post(
    '/api/webhooks',
    documented({
      operationId: 'createWebhook',
      summary: 'Create a webhook',
      description: 'Answers with the signing secret, the only time it is shown.',
      tag: 'webhooks',
      body: { schema: webhookSettingsInput, required: true },
      responses: {
        201: { description: 'Created.', schema: webhookWithSecretAnswer },
        ...problems(400, 403, 429),
      },
    }),
    async (request, reply) => {
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
        // Created disabled, it misses events from now until it is enabled.
        disabledAt: settings.enabled ? null : now,
        createdAt: now,
        updatedAt: now,
      };
      await deps.webhooks.insert(webhook);
      await announce(deps, webhook.id, webhook.version, 'UPSERTED');
      return reply
        .code(201)
        .send({ ...toPublicWebhook(webhook, deps.now()), signingSecret: webhook.signingSecret });
    },
  );

  app.get<{ Querystring: { goodsOwnerId?: string } }>(
    '/api/webhooks',
    documented({
      operationId: 'listWebhooks',
      summary: 'List the webhooks this key may see, with their last 24 hours of activity',
      tag: 'webhooks',
      query: webhookListQuery,
      responses: { 200: { description: 'The webhooks.', schema: webhookListAnswer }, ...problems(400, 403) },
    }),
    async (request, reply) => {
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
    },
  );

  app.get<IdParams>(
    '/api/webhooks/:id',
    documented({
      operationId: 'getWebhook',
      summary: 'Read a webhook',
      tag: 'webhooks',
      params: webhookIdParam,
      responses: {
        200: { description: 'The webhook, secrets masked.', schema: webhookAnswer },
        ...problems(403, 404),
      },
    }),
    async (request, reply) => {
      const webhook = await accessibleWebhook(deps, request, reply, request.params.id);
      return webhook ? toPublicWebhook(webhook, deps.now()) : reply;
    },
  );

  app.put<IdParams>(
    '/api/webhooks/:id',
    documented({
      operationId: 'replaceWebhook',
      summary: "Replace a webhook's settings",
      description: 'A secret left out of `auth` keeps the stored one, so a form that never saw it can save.',
      tag: 'webhooks',
      params: webhookIdParam,
      body: { schema: webhookSettingsInput, required: true },
      responses: {
        200: { description: 'The webhook as saved.', schema: webhookAnswer },
        ...problems(400, 403, 404, 409, 429),
      },
    }),
    async (request, reply) => {
      const existing = await accessibleWebhook(deps, request, reply, request.params.id);
      if (!existing) return reply;
      const settings = await acceptableSettings(deps, request, reply, existing);
      if (!settings) return reply;
      const added = settings.goodsOwnerIds.filter((owner) => !existing.goodsOwnerIds.includes(owner));
      if (!(await quota.admitCount(request, reply, added))) return reply;
      // Saved enabled, the reason the system disabled it is history; saved disabled, it still explains why.
      const disabledReason = settings.enabled ? null : (existing.disabledReason ?? null);
      const disabledAt = settings.enabled
        ? null
        : existing.enabled
          ? new Date(deps.now())
          : (existing.disabledAt ?? null);
      const updated = await replaceWebhook(deps, reply, existing, {
        ...settings,
        disabledReason,
        disabledAt,
      });
      return updated ? toPublicWebhook(updated, deps.now()) : reply;
    },
  );

  app.delete<IdParams>(
    '/api/webhooks/:id',
    documented({
      operationId: 'deleteWebhook',
      summary: 'Delete a webhook',
      description: 'Deliveries still queued or retrying for it are not sent.',
      tag: 'webhooks',
      params: webhookIdParam,
      responses: { 204: { description: 'Deleted.' }, ...problems(403, 404) },
    }),
    async (request, reply) => {
      const existing = await accessibleWebhook(deps, request, reply, request.params.id);
      if (!existing) return reply;
      if (!(await deps.webhooks.delete(existing.id)))
        return reply.code(404).send({ error: 'webhook not found' });
      await announce(deps, existing.id, existing.version + 1, 'DELETED');
      return reply.code(204).send();
    },
  );

  app.post<IdParams>(
    '/api/webhooks/:id/test',
    documented({
      operationId: 'testWebhook',
      summary: 'Fire a test delivery now',
      description:
        "A sample event of the webhook's type, sent like any delivery; its attempts show in the Logs, marked as tests. Any body is ignored.",
      tag: 'webhooks',
      params: webhookIdParam,
      responses: {
        202: { description: 'Queued.', schema: manualDeliveryAnswer },
        ...problems(403, 404, 429),
      },
    }),
    async (request, reply) => {
      const webhook = await accessibleWebhook(deps, request, reply, request.params.id);
      if (!webhook) return reply;
      if (!(await quota.admitRate(request, reply, 'test', webhook.goodsOwnerIds))) return reply;
      const task = testTask(webhook, deps.now());
      await deps.enqueueDelivery(task);
      return reply.code(202).send({ deliveryId: task.deliveryId, eventId: task.eventId });
    },
  );

  /**
   * A new signing secret, shown once. The old one keeps signing beside it for the grace period
   * (Standard Webhooks allows several signatures per header), so receivers can switch without a gap.
   * Only that one: a secret rotated out earlier stops signing now, so the header stays two signatures.
   */
  app.post<IdParams>(
    '/api/webhooks/:id/rotate-secret',
    documented({
      operationId: 'rotateSigningSecret',
      summary: 'Rotate the signing secret',
      description:
        'Answers with the new secret, shown once; the old one keeps signing beside it for the grace period. Any body is ignored.',
      tag: 'webhooks',
      params: webhookIdParam,
      responses: {
        200: { description: 'Rotated.', schema: webhookWithSecretAnswer },
        ...problems(403, 404, 409, 429),
      },
    }),
    async (request, reply) => {
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
    },
  );
}
