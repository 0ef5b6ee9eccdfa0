import type { DeliveryTask } from '@wms-webhooks/contracts';
import type { Webhook } from '@wms-webhooks/webhooks';
import { signDelivery } from './signature';

export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The current secret, and any rotated-out secret still within its grace period. */
export function activeSigningSecrets(webhook: Webhook, nowMs: number): string[] {
  const previous = webhook.previousSigningSecrets
    .filter((entry) => entry.expiresAt.getTime() > nowMs)
    .map((entry) => entry.secret);
  return [webhook.signingSecret, ...previous];
}

/**
 * The JSON body subscribers receive. The payload, JSON checked by the ingester, goes into `data` as the
 * WMS wrote it: re-serialising it would cost a parse per delivery and round integers past 2^53.
 */
export function deliveryBody(task: DeliveryTask): string {
  const envelope = JSON.stringify({
    eventId: task.eventId,
    eventType: task.eventType,
    occurredAt: new Date(task.occurredAt).toISOString(),
    goodsOwnerId: task.goodsOwnerId,
    warehouseId: task.warehouseId,
    entityId: task.entityId,
    webhookId: task.webhookId,
  });
  return `${envelope.slice(0, -1)},"data":${task.payload}}`;
}

/** The POST for one attempt: the operator's headers first, then auth, then the headers the sender owns. */
export function buildDeliveryRequest(task: DeliveryTask, webhook: Webhook, nowMs: number): DeliveryRequest {
  const body = deliveryBody(task);
  const timestamp = Math.floor(nowMs / 1000);
  const headers: Record<string, string> = { ...webhook.headers };
  if (webhook.auth.type === 'basic') {
    headers.Authorization = `Basic ${Buffer.from(`${webhook.auth.username}:${webhook.auth.password}`).toString('base64')}`;
  } else if (webhook.auth.type === 'token') {
    headers['X-Auth-Token'] = webhook.auth.token;
  }
  headers['Content-Type'] = 'application/json';
  headers['webhook-id'] = task.deliveryId;
  headers['webhook-timestamp'] = String(timestamp);
  headers['webhook-signature'] = activeSigningSecrets(webhook, nowMs)
    .map((secret) => signDelivery(secret, task.deliveryId, timestamp, body))
    .join(' ');
  headers['webhook-attempt'] = String(task.attempt);
  return { url: webhook.url, headers, body };
}
