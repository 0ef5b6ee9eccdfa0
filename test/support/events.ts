import { randomUUID } from 'node:crypto';
import type { WmsEvent } from '@wms-webhooks/contracts';

export function wmsEvent(overrides: Partial<WmsEvent> = {}): WmsEvent {
  return {
    eventId: randomUUID(),
    eventType: 'order.picked',
    occurredAt: Date.now(),
    goodsOwnerId: 1,
    warehouseId: 'AMS-1',
    entityId: `ORD-${randomUUID().slice(0, 8)}`,
    attributes: { transporterCode: 'DHL', orderType: 'B2C' },
    payload: JSON.stringify({ orderId: 'ORD-1', lines: [{ sku: 'SKU-1', quantity: 1 }] }),
    ...overrides,
  };
}

export function webhookBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'test hook',
    eventType: 'order.picked',
    kind: 'regular',
    goodsOwnerIds: [1],
    url: 'http://127.0.0.1:9/unused',
    email: 'ops@example.com',
    auth: { type: 'none' },
    headers: {},
    filters: {},
    retryPolicy: 'none',
    enabled: true,
    ...overrides,
  };
}
