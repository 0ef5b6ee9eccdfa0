import type { AvroSerde } from '@wms-webhooks/kafka';
import type { Admin, Kafka } from 'kafkajs';

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
export async function readDeadLetters<T>(
  kafka: Kafka,
  admin: Admin,
  serde: AvroSerde,
  topic: string,
): Promise<T[]> {
  const ends = await admin.fetchTopicOffsets(topic);
  const remaining = new Map(ends.map((end) => [end.partition, Number(end.high)]));
  if ([...remaining.values()].every((end) => end === 0)) return [];
  const consumer = kafka.consumer({ groupId: `${topic}-bench-reader-${Date.now()}` });
  const values: T[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (message.value) values.push(await serde.decode<T>(message.value));
        if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.set(partition, 0);
      },
    });
    await waitUntil(
      async () => [...remaining.values()].every((end) => end === 0),
      30_000,
      `${topic} read to its end`,
    );
  } finally {
    await consumer.disconnect();
  }
  return values;
}
