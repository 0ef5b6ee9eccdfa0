import { randomUUID } from 'node:crypto';
import { Producer } from '@platformatic/kafka';
import { type ConsumedRecord, ensureTopics, readWindow } from '@wms-webhooks/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { quietLogger, testKafka } from '../support/stack';
import { uniqueName } from '../support/unique';

const hour = 3_600_000;

describe('reading a window of a topic', () => {
  const kafka = testKafka('it-read-window');
  const admin = kafka.admin();
  const created: string[] = [];
  const producers: Producer[] = [];

  afterAll(async () => {
    await Promise.allSettled(producers.map((producer) => producer.close()));
    await admin.deleteTopics(created).catch(() => undefined);
    await admin.close();
  });

  const topicWith = async (partitions: number) => {
    const topic = uniqueName('it.window');
    created.push(topic);
    await ensureTopics(admin, [
      {
        name: topic,
        partitions,
        cleanupPolicy: 'delete',
        retentionMs: 7 * 24 * hour,
        maxMessageBytes: 1_048_576,
      },
    ]);
    return topic;
  };
  const producer = (transactionalId?: string) => {
    const made = new Producer({
      ...kafka.options(`it-window-${randomUUID()}`),
      idempotent: true,
      ...(transactionalId ? { transactionalId } : {}),
    });
    producers.push(made);
    return made;
  };
  const read = async (topic: string, fromTime: number, untilTime: number) => {
    const records: ConsumedRecord[] = [];
    await readWindow(
      kafka,
      topic,
      { groupId: uniqueName('it-window'), fromTime, untilTime, logger: quietLogger },
      async (batch) => void records.push(...batch),
    );
    return records.map((record) => `${record.partition}:${String(record.value)}`).sort();
  };

  describe('when records were written before, within and after the window', () => {
    it('hands over those written within it, from every partition, and ends', async () => {
      const topic = await topicWith(2);
      const now = Date.now();
      const at = (value: string, partition: number, time: number) => ({
        topic,
        partition,
        value: Buffer.from(value),
        timestamp: BigInt(time),
      });
      await producer().send({
        messages: [
          at('before', 0, now - 3 * hour),
          at('within-0', 0, now - 2 * hour),
          at('within-1', 1, now - 2 * hour),
          at('after', 0, now - hour),
          at('after', 1, now - hour),
        ],
        acks: -1,
      });
      expect(await read(topic, now - 2.5 * hour, now - 1.5 * hour)).toEqual(['0:within-0', '1:within-1']);
    });
  });

  describe("when a partition's last record is a transaction's commit marker", () => {
    it('ends at the end of the partition all the same', async () => {
      const topic = await topicWith(1);
      const start = Date.now() - 1_000;
      const transactional = producer(`it-window-${randomUUID()}`);
      const transaction = await transactional.beginTransaction();
      await transaction.send({
        messages: [
          { topic, partition: 0, value: Buffer.from('one') },
          { topic, partition: 0, value: Buffer.from('two') },
        ],
      });
      await transaction.commit();
      expect(await read(topic, start, Date.now() + hour)).toEqual(['0:one', '0:two']);
    });
  });

  describe('when nothing was written in the window', () => {
    it('ends at once with nothing', async () => {
      const topic = await topicWith(1);
      await producer().send({ messages: [{ topic, partition: 0, value: Buffer.from('old') }], acks: -1 });
      expect(await read(topic, Date.now() + hour, Date.now() + 2 * hour)).toEqual([]);
    });
  });
});
