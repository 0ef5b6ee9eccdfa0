import { allReady, type ConsumedRecord, type KafkaClient, runLaneConsumer } from '@wms-webhooks/kafka';
import { uniqueName } from './unique';
import { waitFor } from './wait-for';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Every record of the topics, from each partition's first record up to the end it had when called, in
 * partition order. Read by a group of its own that commits nothing and is deleted afterwards.
 */
export async function readTopics(
  kafka: KafkaClient,
  topics: readonly string[],
  timeoutMs = 30_000,
): Promise<ConsumedRecord[]> {
  const admin = kafka.admin();
  const groups: string[] = [];
  const records: ConsumedRecord[] = [];
  const running = [];
  try {
    const existing = new Set(await admin.listTopics());
    const ends = new Map<string, bigint>();
    for (const topic of topics.filter((name) => existing.has(name))) {
      for (const partition of await admin.topicOffsets(topic)) {
        if (partition.high !== partition.low)
          ends.set(`${topic}/${partition.partition}`, BigInt(partition.high));
      }
    }
    const seen = new Map<string, bigint>();
    for (const topic of new Set([...ends.keys()].map((key) => key.slice(0, key.lastIndexOf('/'))))) {
      const groupId = uniqueName('it-topic-reader');
      groups.push(groupId);
      running.push(
        await runLaneConsumer({
          kafka,
          groupId,
          topic,
          logger: quiet,
          commit: false,
          startAt: 'earliest',
          prepare: allReady,
          handle: async (batch) => {
            for (const record of batch) {
              const key = `${record.topic}/${record.partition}`;
              if (BigInt(record.offset) < (ends.get(key) ?? 0n)) records.push(record);
              seen.set(key, BigInt(record.offset) + 1n);
            }
          },
        }),
      );
    }
    await waitFor(() => [...ends].every(([key, end]) => (seen.get(key) ?? 0n) >= end), {
      timeoutMs,
      message: `${topics.join(', ')} read to their end`,
    });
  } finally {
    await Promise.allSettled(running.map((consumer) => consumer.stop()));
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.close();
  }
  return records.sort((a, b) =>
    a.topic === b.topic
      ? a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset))
      : a.topic < b.topic
        ? -1
        : 1,
  );
}
