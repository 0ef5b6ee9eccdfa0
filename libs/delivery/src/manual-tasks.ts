import { randomUUID } from 'node:crypto';
import { type DeliveryTask, eventTypeSpec } from '@wms-webhooks/contracts';
import type { Webhook } from '@wms-webhooks/webhooks';
import type { AttemptLog } from './attempt-documents';
import { testDeliveryId } from './delivery-id';
import { manualResendOrigin } from './settle-attempt';

const manualTask = {
  firstAttemptAt: null,
  dueAt: null,
  history: [],
  finalReason: null,
} satisfies Partial<DeliveryTask>;

/** A delivery of the event type's sample, for the Test button; it takes the same path as real events. */
export function testTask(webhook: Webhook, now: number): DeliveryTask {
  const spec = eventTypeSpec(webhook.eventType);
  if (!spec) throw new Error(`webhook ${webhook.id} has unknown event type ${webhook.eventType}`);
  return {
    ...manualTask,
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
    origin: 'api-test',
    replayId: null,
  };
}

/**
 * Resend of a finally failed delivery: the same delivery id (so a receiver that did process it can tell),
 * the next attempt number, one try; by an operator's Resend or by a replay of failures. Undefined when
 * there is nothing to resend.
 */
export function resendTask(
  attempts: readonly AttemptLog[],
  now: number,
  replayId: string | null = null,
): DeliveryTask | undefined {
  const last = attempts[attempts.length - 1];
  if (!last?.event || last.outcome !== 'failed' || !last.final || last.test) return undefined;
  return {
    ...manualTask,
    deliveryId: last.deliveryId,
    webhookId: last.webhookId,
    eventId: last.eventId,
    eventType: last.eventType,
    occurredAt: last.event.occurredAt.getTime(),
    goodsOwnerId: last.goodsOwnerId,
    warehouseId: last.event.warehouseId,
    entityId: last.event.entityId,
    payload: last.event.payload,
    attempt: Math.max(...attempts.map((attempt) => attempt.attempt)) + 1,
    test: false,
    createdAt: now,
    origin: manualResendOrigin,
    replayId,
  };
}
