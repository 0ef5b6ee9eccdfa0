import { randomUUID } from 'node:crypto';
import { type DeliveryTask, eventTypeSpec } from '@wms-webhooks/contracts';
import { testDeliveryId } from '@wms-webhooks/delivery';
import type { Webhook } from '@wms-webhooks/webhooks';

/** A delivery of the event type's sample, for the Test button; it takes the same path as real events. */
export function testTask(webhook: Webhook, now: number): DeliveryTask {
  const spec = eventTypeSpec(webhook.eventType);
  if (!spec) throw new Error(`webhook ${webhook.id} has unknown event type ${webhook.eventType}`);
  return {
    deliveryId: testDeliveryId(),
    webhookId: webhook.id,
    eventId: randomUUID(),
    eventType: webhook.eventType,
    occurredAt: now,
    // An all-owners webhook has no owner of its own; 0 marks the sample as belonging to none.
    goodsOwnerId: webhook.goodsOwnerIds[0] ?? 0,
    warehouseId: null,
    entityId: spec.sample.entityId,
    payload: JSON.stringify(spec.sample.payload),
    attempt: 1,
    test: true,
    createdAt: now,
    firstAttemptAt: null,
    dueAt: null,
    origin: 'api-test',
    history: [],
    finalReason: null,
  };
}
