import type { AvroSerde, KafkaClient } from '@wms-webhooks/kafka';
import { readTopics } from '../support/topic-reader';

/** Polls until the condition holds; rejects naming what it waited for. */
export async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((tick) => setTimeout(tick, 200));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** Every record of a topic, decoded, read to the end offsets it had when called. */
export async function readDeadLetters<T>(kafka: KafkaClient, serde: AvroSerde, topic: string): Promise<T[]> {
  const records = await readTopics(kafka, [topic]);
  return serde.decodeValues<T>(records);
}
