import type { DeliveryTask, WmsEvent } from '@wms-webhooks/contracts';
import { matchWebhooks, type Webhook } from '@wms-webhooks/webhooks';
import { deliveryIdFor } from './delivery-id';
import { deliveryLane } from './delivery-lane';

export interface PlannedDelivery {
  /** Its lane (delivery-lane.ts): the record's key on webhooks.deliveries. */
  key: string;
  value: DeliveryTask;
}

/** One task per webhook the event matches; the task names the webhook, never its credentials. */
export function planDeliveries(
  candidates: readonly Webhook[],
  event: WmsEvent,
  now: number,
): PlannedDelivery[] {
  return matchWebhooks(candidates, event).map((webhook) => {
    const deliveryId = deliveryIdFor(event.eventId, webhook.id);
    return { key: deliveryLane(webhook, deliveryId), value: plannedTask(deliveryId, webhook, event, now) };
  });
}

function plannedTask(deliveryId: string, webhook: Webhook, event: WmsEvent, now: number): DeliveryTask {
  return {
    deliveryId,
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
    replayId: null,
    finalReason: null,
  };
}
