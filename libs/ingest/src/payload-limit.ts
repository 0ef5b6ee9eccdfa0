import { ConfigError, positiveInt } from '@wms-webhooks/config';
import { largestRecordFor } from '@wms-webhooks/kafka';

/** The ingester's limit, which a replay of the log applies too. */
export const payloadLimitEnv = {
  INGEST_MAX_PAYLOAD_BYTES: positiveInt()
    .default(256 * 1024)
    .describe(
      'The largest event payload accepted; a larger event is filed in `wms.events.invalid` as `payload-too-large`, not delivered (nor replayed).',
    ),
};

/** What a delivery task holds beside its payload: ids, the entity, and the history of up to a day of attempts. */
export const deliveryTaskHeadroomBytes = 64 * 1024;

/**
 * Fails at start when an accepted payload could make a delivery task larger than the task topics take:
 * every such event's deliveries would be quarantined instead of sent.
 */
export function checkPayloadLimit(maxPayloadBytes: number, taskTopicMaxMessageBytes: number): void {
  const largest = largestRecordFor(taskTopicMaxMessageBytes) - deliveryTaskHeadroomBytes;
  if (maxPayloadBytes > largest) {
    throw new ConfigError([
      {
        variable: 'INGEST_MAX_PAYLOAD_BYTES',
        message: `${maxPayloadBytes} leaves no room for a delivery task: the task topics take records of at most ${taskTopicMaxMessageBytes} bytes (max.message.bytes), so payloads may be at most ${largest}`,
      },
    ]);
  }
}
