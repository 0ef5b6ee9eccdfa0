import { accessToWebhook } from '@wms-webhooks/access';
import type { Webhook } from '@wms-webhooks/webhooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from './api-deps';
import { forbidden } from './authenticate';
import { isUuid, notFound } from './problems';

/** The webhook the route names, if the caller's key reaches it; otherwise the 404 or 403 is sent. */
export async function accessibleWebhook(
  deps: ApiDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
): Promise<Webhook | undefined> {
  const webhook = isUuid(id) ? await deps.webhooks.findById(id) : undefined;
  if (!webhook) {
    await notFound(reply, 'webhook');
    return undefined;
  }
  const verdict = accessToWebhook(request.principal, webhook);
  if (!verdict.allowed) {
    await forbidden(reply, verdict.reason);
    return undefined;
  }
  return webhook;
}
