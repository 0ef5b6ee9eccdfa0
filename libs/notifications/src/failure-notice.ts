import type { DeliveryTask } from '@wms-webhooks/contracts';

/** What an email says about one finally failed delivery. */
export interface FailureNotice {
  deliveryId: string;
  eventId: string;
  eventType: string;
  goodsOwnerId: number;
  entityId: string;
  occurredAt: Date;
  attempts: Array<{ attempt: number; startedAt: Date; statusCode: number | null; error: string }>;
  lastError: string;
  reason: string;
}

export function noticeFromDeadLetter(task: DeliveryTask): FailureNotice {
  const attempts = task.history.map((record) => ({
    attempt: record.attempt,
    startedAt: new Date(record.startedAt),
    statusCode: record.statusCode,
    error: record.error ?? (record.statusCode === null ? 'failed' : `HTTP ${record.statusCode}`),
  }));
  return {
    deliveryId: task.deliveryId,
    eventId: task.eventId,
    eventType: task.eventType,
    goodsOwnerId: task.goodsOwnerId,
    entityId: task.entityId,
    occurredAt: new Date(task.occurredAt),
    attempts,
    lastError: attempts[attempts.length - 1]?.error ?? 'unknown',
    reason: task.finalReason ?? 'delivery stopped',
  };
}
