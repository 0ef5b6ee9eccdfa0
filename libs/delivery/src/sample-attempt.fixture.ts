import type { AttemptLog } from './attempt-documents';

/** For this package's unit tests only (not exported): a first attempt that succeeded. */
export function sampleAttempt(fields: Partial<AttemptLog> = {}): AttemptLog {
  return {
    deliveryId: 'd',
    webhookId: 'wh',
    eventId: 'e',
    eventType: 'order.picked',
    goodsOwnerId: 1,
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
    url: null,
    ...fields,
  };
}
