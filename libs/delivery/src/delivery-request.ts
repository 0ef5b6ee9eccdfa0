import type { DeliveryTask } from '@wms-webhooks/contracts';
import {
  authHeaderValue,
  connectionLevelHeaders,
  sentAuthHeaderName,
  type Webhook,
} from '@wms-webhooks/webhooks';
import { signDelivery } from './signature';

export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The current secret, and the last rotated-out one while its grace period lasts. Only one: a webhook
 * rotated many times before rotation kept a single previous secret can hold hundreds, and a signature
 * for each would outgrow what receivers accept in a header.
 */
export function activeSigningSecrets(webhook: Webhook, nowMs: number): string[] {
  const previous = webhook.previousSigningSecrets
    .filter((entry) => entry.expiresAt.getTime() > nowMs)
    .sort((a, b) => b.expiresAt.getTime() - a.expiresAt.getTime())
    .slice(0, 1)
    .map((entry) => entry.secret);
  return [webhook.signingSecret, ...previous];
}

/** The operator's headers without connection-level ones, which a webhook saved before they were refused may hold. */
function operatorHeaders(webhook: Webhook): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(webhook.headers)) {
    if (!connectionLevelHeaders.has(name.toLowerCase())) headers[name] = value;
  }
  return headers;
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
  const headers = operatorHeaders(webhook);
  const authHeader = sentAuthHeaderName(webhook.auth.type);
  if (authHeader) headers[authHeader] = authHeaderValue(webhook.auth);
  headers['Content-Type'] = 'application/json';
  headers['webhook-id'] = task.deliveryId;
  headers['webhook-timestamp'] = String(timestamp);
  headers['webhook-signature'] = activeSigningSecrets(webhook, nowMs)
    .map((secret) => signDelivery(secret, task.deliveryId, timestamp, body))
    .join(' ');
  headers['webhook-attempt'] = String(task.attempt);
  return { url: webhook.url, headers, body };
}
