import type { DeliveryTask } from '@wms-webhooks/contracts';

/** For this package's unit tests only (not exported): a first attempt's task for one webhook. */
export const sampleTask = (
  webhookId: string,
  eventId: string,
  extra: Partial<DeliveryTask> = {},
): DeliveryTask => ({
  deliveryId: `${eventId}-${webhookId}`,
  webhookId,
  eventId,
  eventType: 'order.picked',
  occurredAt: 0,
  goodsOwnerId: 1,
  warehouseId: null,
  entityId: 'ORD',
  payload: '{}',
  attempt: 1,
  test: false,
  createdAt: 0,
  firstAttemptAt: null,
  dueAt: null,
  origin: 'matcher',
  history: [],
  replayId: null,
  finalReason: null,
  ...extra,
});
