import { randomUUID } from 'node:crypto';
import type { WmsEvent } from '@wms-webhooks/contracts';

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
};
