/** TypeScript shapes of the .avsc files, as the registry client (avsc) encodes and decodes them. Times are epoch ms. */

export interface WmsEvent {
  eventId: string;
  eventType: string;
  occurredAt: number;
  goodsOwnerId: number;
  warehouseId: string | null;
  entityId: string;
  attributes: Record<string, string>;
  /** JSON text. */
  payload: string;
}

export interface InvalidWmsEvent {
  reason: string;
  errorCode: string;
  field: string | null;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: number;
  sourceTimestamp: number;
  originalKey: Buffer | null;
  originalValue: Buffer | null;
  originalHeaders: Record<string, Buffer>;
  originalSize: number;
  truncated: boolean;
  detectedAt: number;
}

export interface QuarantinedRecord {
  reason: string;
  errorCode: string;
  service: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: number;
  sourceTimestamp: number;
  originalSize: number;
  truncated: boolean;
  originalKey: Buffer | null;
  originalValue: Buffer | null;
  originalHeaders: Record<string, Buffer>;
  quarantinedAt: number;
}

export interface AttemptRecord {
  attempt: number;
  startedAt: number;
  durationMs: number;
  outcome: 'succeeded' | 'failed';
  statusCode: number | null;
  error: string | null;
}

export interface DeliveryTask {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  occurredAt: number;
  goodsOwnerId: number;
  warehouseId: string | null;
  entityId: string;
  payload: string;
  attempt: number;
  test: boolean;
  createdAt: number;
  firstAttemptAt: number | null;
  dueAt: number | null;
  origin: string;
  history: AttemptRecord[];
  /** The replay that sent it (POST /api/webhooks/{id}/replay); null for live traffic. */
  replayId: string | null;
  finalReason: string | null;
}

export interface WebhookChange {
  webhookId: string;
  version: number;
  change: 'UPSERTED' | 'DELETED';
  changedAt: number;
}
