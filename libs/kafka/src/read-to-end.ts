import { randomUUID } from 'node:crypto';
import type { ConsumedRecord } from './consumed-record';
import type { KafkaClient } from './kafka-client';
import { runLaneConsumer } from './lane-consumer';
import { allReady, type LaneLogger, type RunningConsumer } from './lane-options';

const quiet: LaneLogger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Every record of the topics, from each partition's first record up to the end it had when called, in
 * topic and partition order. Read by a group of its own that commits nothing and is deleted afterwards,
 * so reading moves no service's position. For operator tools and tests, not for the pipeline.
 */
export async function readToEnd(
  kafka: KafkaClient,
  topics: readonly string[],
  options: { timeoutMs?: number; logger?: LaneLogger } = {},
): Promise<ConsumedRecord[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const admin = kafka.admin();
  const groups: string[] = [];
  const records: ConsumedRecord[] = [];
  const running: RunningConsumer[] = [];
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
      const groupId = `read-to-end-${randomUUID()}`;
      groups.push(groupId);
      running.push(
        await runLaneConsumer({
          kafka,
          groupId,
          topic,
          logger: options.logger ?? quiet,
          commit: false,
          startAt: 'earliest',
          prepare: allReady,
          onSteppedOver: (partition, nextOffset) => seen.set(`${topic}/${partition}`, nextOffset),
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
    const deadline = Date.now() + timeoutMs;
    while (![...ends].every(([key, end]) => (seen.get(key) ?? 0n) >= end)) {
      if (Date.now() > deadline)
        throw new Error(`${topics.join(', ')} not read to their end within ${timeoutMs} ms`);
      await new Promise((tick) => setTimeout(tick, 50));
    }
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
