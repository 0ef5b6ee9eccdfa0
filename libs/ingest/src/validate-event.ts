import { eventTypeSpec, type WmsEvent } from '@wms-webhooks/contracts';
import { InvalidInputError } from '@wms-webhooks/errors';

export interface IngestLimits {
  maxPayloadBytes: number;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const maxAttributes = 50;

function invalid(code: string, field: string, message: string): never {
  throw new InvalidInputError(code, `${field}: ${message}`, field);
}

/** Throws InvalidInputError naming the first problem; returns the event when it can be delivered. */
export function validateWmsEvent(candidate: unknown, limits: IngestLimits): WmsEvent {
  if (typeof candidate !== 'object' || candidate === null)
    invalid('invalid-field', '(value)', 'is not a record');
  const event = candidate as Partial<WmsEvent>;
  if (typeof event.eventId !== 'string' || !uuidPattern.test(event.eventId)) {
    invalid('invalid-field', 'eventId', 'must be a UUID');
  }
  if (typeof event.eventType !== 'string') invalid('invalid-field', 'eventType', 'is missing');
  if (!eventTypeSpec(event.eventType)) {
    invalid('unknown-event-type', 'eventType', `"${event.eventType}" is not in the event-type catalogue`);
  }
  if (typeof event.occurredAt !== 'number' || !Number.isFinite(event.occurredAt) || event.occurredAt <= 0) {
    invalid('invalid-field', 'occurredAt', 'must be a positive epoch-millisecond timestamp');
  }
  if (!Number.isInteger(event.goodsOwnerId) || (event.goodsOwnerId as number) <= 0) {
    invalid('invalid-field', 'goodsOwnerId', 'must be a positive integer');
  }
  if (typeof event.entityId !== 'string' || event.entityId.length === 0 || event.entityId.length > 200) {
    invalid('invalid-field', 'entityId', 'must be 1-200 characters');
  }
  if (
    event.warehouseId !== null &&
    (typeof event.warehouseId !== 'string' || event.warehouseId.length > 100)
  ) {
    invalid('invalid-field', 'warehouseId', 'must be null or at most 100 characters');
  }
  const attributes = event.attributes ?? {};
  if (Object.keys(attributes).length > maxAttributes) {
    invalid('invalid-field', 'attributes', `may hold at most ${maxAttributes} entries`);
  }
  if (typeof event.payload !== 'string') invalid('invalid-field', 'payload', 'is missing');
  const size = Buffer.byteLength(event.payload);
  if (size > limits.maxPayloadBytes) {
    invalid('payload-too-large', 'payload', `is ${size} bytes; the limit is ${limits.maxPayloadBytes}`);
  }
  try {
    JSON.parse(event.payload);
  } catch (error) {
    invalid('payload-not-json', 'payload', `is not JSON (${(error as Error).message})`);
  }
  return event as WmsEvent;
}
