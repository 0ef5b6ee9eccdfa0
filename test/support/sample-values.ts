import { randomUUID } from 'node:crypto';
import type { DeliveryTask, InvalidWmsEvent, WebhookChange, WmsEvent } from '@wms-webhooks/contracts';
import type { AttemptLog } from '@wms-webhooks/delivery';

/** The commonest attempt log: a first try that succeeded, so its empty fields are null. */
export function sampleAttemptLog(fields: Partial<AttemptLog> = {}): AttemptLog {
  return {
    deliveryId: randomUUID(),
    webhookId: 'wh-1',
    eventId: randomUUID(),
    eventType: 'order.picked',
    goodsOwnerId: 7,
    attempt: 1,
    dueAt: null,
    startedAt: new Date(),
    durationMs: 3,
    outcome: 'succeeded',
    statusCode: 204,
    errorKind: null,
    error: null,
    test: false,
    final: true,
    nextAttemptAt: null,
    url: 'https://erp.example/hooks',
    ...fields,
  };
}

/** One valid value per schema file: every .avsc must have one, so none escapes the round-trip test. */
export const sampleValues: Record<string, () => unknown> = {
  'wms-event.avsc': (): WmsEvent => ({
    eventId: randomUUID(),
    eventType: 'order.picked',
    occurredAt: Date.UTC(2026, 10, 22, 9, 30, 0, 123),
    goodsOwnerId: 42,
    warehouseId: 'AMS-1',
    entityId: 'ORD-1001',
    attributes: { transporterCode: 'DHL', orderType: 'B2C' },
    payload: JSON.stringify({ orderId: 'ORD-1001', lines: [{ sku: 'SKU-1', quantity: 2 }] }),
  }),
  'invalid-wms-event.avsc': (): InvalidWmsEvent => ({
    reason: 'payload is not JSON: Unexpected token',
    errorCode: 'payload-not-json',
    field: 'payload',
    sourceTopic: 'wms.events',
    sourcePartition: 3,
    sourceOffset: 1234,
    sourceTimestamp: Date.UTC(2026, 10, 22, 9, 30),
    originalKey: Buffer.from('ORD-1001'),
    originalValue: Buffer.from([0, 0, 0, 0, 1, 2, 3]),
    originalHeaders: { traceparent: Buffer.from('00-abc-def-01') },
    detectedAt: Date.UTC(2026, 10, 22, 9, 30, 1),
  }),
  'delivery-task.avsc': (): DeliveryTask => ({
    deliveryId: randomUUID(),
    webhookId: randomUUID(),
    eventId: randomUUID(),
    eventType: 'order.shipped',
    occurredAt: Date.UTC(2026, 10, 22, 9, 30),
    goodsOwnerId: 7,
    warehouseId: null,
    entityId: 'ORD-2',
    payload: '{"orderId":"ORD-2"}',
    attempt: 1,
    test: false,
    createdAt: Date.UTC(2026, 10, 22, 9, 30, 2),
    firstAttemptAt: Date.UTC(2026, 10, 22, 9, 30, 3),
    dueAt: Date.UTC(2026, 10, 22, 9, 31, 3),
    origin: 'sender',
    history: [
      {
        attempt: 1,
        startedAt: Date.UTC(2026, 10, 22, 9, 30, 3),
        durationMs: 12,
        outcome: 'failed',
        statusCode: 503,
        error: 'HTTP 503',
      },
    ],
    finalReason: null,
  }),
  'webhook-change.avsc': (): WebhookChange => ({
    webhookId: randomUUID(),
    version: 3,
    change: 'UPSERTED',
    changedAt: Date.UTC(2026, 10, 22, 9, 31),
  }),
};
