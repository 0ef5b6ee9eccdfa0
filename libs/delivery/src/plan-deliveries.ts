import type { DeliveryTask, WmsEvent } from '@wms-webhooks/contracts';
import { matchWebhooks, type Webhook } from '@wms-webhooks/webhooks';
import { deliveryIdFor } from './delivery-id';

/** One task per webhook the event matches; the task names the webhook, never its credentials. */
export function planDeliveries(candidates: readonly Webhook[], event: WmsEvent, now: number): DeliveryTask[] {
  return matchWebhooks(candidates, event).map((webhook) => ({
    deliveryId: deliveryIdFor(event.eventId, webhook.id),
    webhookId: webhook.id,
    eventId: event.eventId,
    eventType: event.eventType,
    occurredAt: event.occurredAt,
    goodsOwnerId: event.goodsOwnerId,
    warehouseId: event.warehouseId,
    entityId: event.entityId,
    payload: event.payload,
    attempt: 1,
    test: false,
    createdAt: now,
    firstAttemptAt: null,
    dueAt: null,
    origin: 'matcher',
    history: [],
    finalReason: null,
  }));
}
