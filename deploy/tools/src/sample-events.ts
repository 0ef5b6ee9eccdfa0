import { randomUUID } from 'node:crypto';
import { eventTypeSpec, eventTypes, type WmsEvent } from '@wms-webhooks/contracts';

export interface SampleOptions {
  eventType: string;
  goodsOwnerId: number;
  attributes?: Record<string, string>;
}

/** A realistic WmsEvent of the given type, built from the catalogue's sample. */
export function sampleEvent(options: SampleOptions): WmsEvent {
  const spec = eventTypeSpec(options.eventType);
  if (!spec) {
    throw new Error(
      `unknown event type "${options.eventType}"; known: ${eventTypes.map((type) => type.type).join(', ')}`,
    );
  }
  const entityId = `${spec.sample.entityId.replace(/TEST-\d+$/, '')}${randomUUID().slice(0, 8).toUpperCase()}`;
  return {
    eventId: randomUUID(),
    eventType: spec.type,
    occurredAt: Date.now(),
    goodsOwnerId: options.goodsOwnerId,
    warehouseId: 'WH-1',
    entityId,
    attributes: { ...spec.sample.attributes, ...options.attributes },
    payload: JSON.stringify(spec.sample.payload).replaceAll(spec.sample.entityId, entityId),
  };
}
