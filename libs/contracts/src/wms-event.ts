/** The TypeScript shape of schemas/wms-event.avsc, as kafkajs/avsc encode and decode it. */
export interface WmsEvent {
  eventId: string;
  eventType: string;
  /** Epoch milliseconds (Avro timestamp-millis). */
  occurredAt: number;
  goodsOwnerId: number;
  warehouseId: string | null;
  entityId: string;
  attributes: Record<string, string>;
  /** JSON text. */
  payload: string;
}
