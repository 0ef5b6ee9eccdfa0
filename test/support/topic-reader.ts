import { type ConsumedRecord, type KafkaClient, readToEnd } from '@wms-webhooks/kafka';

/** Every record of the topics up to the end they had when called, in topic and partition order. */
export function readTopics(
  kafka: KafkaClient,
  topics: readonly string[],
  timeoutMs = 30_000,
): Promise<ConsumedRecord[]> {
  return readToEnd(kafka, topics, { timeoutMs });
}
