import type { InvalidWmsEvent, WmsEvent } from '@wms-webhooks/contracts';
import { InvalidInputError } from '@wms-webhooks/errors';
import { type AvroSerde, type ConsumedRecord, copyOfRecord } from '@wms-webhooks/kafka';
import { type IngestLimits, validateWmsEvent } from './validate-event';

export interface IngestDeps {
  serde: AvroSerde;
  limits: IngestLimits;
  /** Room for the original record in an invalid entry; a larger one is filed by its first bytes. */
  invalidCopyRoomBytes: number;
  now: () => number;
  /** Both resolve once the records are durable (acks=all). */
  forwardAccepted: (records: Array<{ key: string; value: WmsEvent }>) => Promise<void>;
  forwardInvalid: (records: Array<{ key: Buffer | null; value: InvalidWmsEvent }>) => Promise<void>;
}

export interface IngestResult {
  accepted: WmsEvent[];
  invalid: InvalidWmsEvent[];
}

/**
 * Accepts what is valid and routes what is not to the invalid topic with the reason and the original
 * bytes; one bad record never stops the stream. Registry outages throw (retriable), so nothing is
 * misfiled as invalid while the registry is merely down.
 */
export async function processWmsRecords(
  deps: IngestDeps,
  messages: readonly ConsumedRecord[],
  source: { topic: string; partition: number },
): Promise<IngestResult> {
  const accepted: Array<{ key: string; value: WmsEvent }> = [];
  const invalid: Array<{ key: Buffer | null; value: InvalidWmsEvent }> = [];
  for (const message of messages) {
    try {
      const event = validateWmsEvent(await deps.serde.decode(message.value), deps.limits);
      accepted.push({ key: message.key?.toString() || event.entityId, value: event });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      invalid.push({
        key: message.key,
        value: {
          reason: error.message,
          errorCode: error.code,
          field: error.field ?? null,
          sourceTopic: source.topic,
          sourcePartition: source.partition,
          sourceOffset: Number(message.offset),
          sourceTimestamp: Number(message.timestamp),
          ...copyOfRecord(message, deps.invalidCopyRoomBytes),
          detectedAt: deps.now(),
        },
      });
    }
  }
  await Promise.all([
    accepted.length > 0 ? deps.forwardAccepted(accepted) : undefined,
    invalid.length > 0 ? deps.forwardInvalid(invalid) : undefined,
  ]);
  return { accepted: accepted.map((record) => record.value), invalid: invalid.map((record) => record.value) };
}
