import { createDurableProducer, ProduceRefusedError, RecordTooLargeError } from '@wms-webhooks/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { testKafka } from '../support/stack';
import { readTopics } from '../support/topic-reader';
import { uniqueName } from '../support/unique';

// Keys the Java client's murmur2 puts on partition 0 and 1 of two (checked against kafka-clients' Utils.murmur2).
const toPartition0 = 'a';
const toPartition1 = 'd';

describe('the durable producer against a real broker', () => {
  const kafka = testKafka('it-durable-producer');
  const admin = kafka.admin();
  const producer = createDurableProducer(kafka);
  const created: string[] = [];

  /** A topic that refuses any record batch over 4 KB, so a record of 6 KB is one the broker never takes. */
  const smallRecordTopic = async (partitions: number) => {
    const topic = uniqueName('it.durable-producer');
    created.push(topic);
    await admin.createTopics([{ name: topic, partitions, configs: { 'max.message.bytes': '4096' } }]);
    return topic;
  };
  const text = (value: string) => Buffer.from(value);
  const onPartition = async (topic: string, partition: number) =>
    (await readTopics(kafka, [topic]))
      .filter((record) => record.partition === partition)
      .map((record) => String(record.value));

  afterAll(async () => {
    await producer.close();
    await admin.deleteTopics(created).catch(() => undefined);
    await admin.close();
  });

  describe('when a send the broker refuses shares a request with others', () => {
    it('fails that send alone, and the others are written', async () => {
      const topic = await smallRecordTopic(1);
      const record = (value: Buffer) => [{ key: 'same-partition', value }];
      const small = () => Buffer.alloc(200, 1);
      const first = producer.send(topic, record(small()));
      // Sent while the first is in flight, these three go out in one request, which the broker refuses.
      const before = producer.send(topic, record(small()));
      const refused = producer.send(topic, record(Buffer.alloc(6_000, 2)));
      const after = producer.send(topic, record(small()));

      await expect(first).resolves.toBeUndefined();
      await expect(before).resolves.toBeUndefined();
      await expect(refused).rejects.toThrow(ProduceRefusedError);
      await expect(after).resolves.toBeUndefined();
      const [offsets] = await admin.topicOffsets(topic);
      expect(offsets?.high).toBe('3');
    });
  });

  describe('when one send mixes a partition the broker accepts with one it refuses', () => {
    it('reports the refusal with its reason, and every record sent after it is on the topic once, in order', async () => {
      const topic = await smallRecordTopic(2);
      await producer.send(topic, [{ key: toPartition0, value: text('warm-up') }]);
      await expect(
        producer.send(topic, [
          { key: toPartition0, value: text('A') },
          { key: toPartition1, value: Buffer.alloc(6_000, 2) },
        ]),
      ).rejects.toThrow(/MESSAGE_TOO_LARGE/);
      for (const value of ['B', 'C', 'D'])
        await producer.send(topic, [{ key: toPartition0, value: text(value) }]);

      // A was written before the refusal of its request's other partition; reported failed, it may be there.
      expect((await onPartition(topic, 0)).filter((value) => value !== 'A')).toEqual([
        'warm-up',
        'B',
        'C',
        'D',
      ]);
      expect(await onPartition(topic, 1)).toEqual([]);
    });
  });

  describe('when a record names its partition', () => {
    it('goes there whatever its key', async () => {
      const topic = await smallRecordTopic(2);
      await producer.send(topic, [{ key: toPartition0, value: text('pinned'), partition: 1 }]);
      expect(await onPartition(topic, 1)).toEqual(['pinned']);
    });
  });

  describe('when one send holds 3 MB for one partition of a topic that takes 1 MB per batch', () => {
    it('writes every record, in order, in requests under the limit', async () => {
      const topic = uniqueName('it.durable-producer');
      created.push(topic);
      await admin.createTopics([{ name: topic, partitions: 1, configs: { 'max.message.bytes': '1048576' } }]);
      const records = Array.from({ length: 3_000 }, (_, index) => ({
        key: 'one-partition',
        value: Buffer.concat([text(`${index}:`), Buffer.alloc(1_000, 3)]),
      }));
      await producer.send(topic, records);
      const written = await onPartition(topic, 0);
      expect(written.map((value) => Number(value.split(':')[0]))).toEqual(records.map((_, index) => index));
    });
  });

  describe("when a send holds a record larger than its topic's max.message.bytes", () => {
    it('refuses the send naming the record, and produces none of it', async () => {
      const topic = await smallRecordTopic(1);
      const limited = createDurableProducer(kafka, {
        maxMessageBytes: (name) => (name === topic ? 4096 : undefined),
      });
      try {
        const send = limited.send(topic, [
          { key: 'k', value: text('fits') },
          { key: 'k', value: Buffer.alloc(6_000, 1) },
        ]);
        await expect(send).rejects.toThrow(RecordTooLargeError);
        await expect(send).rejects.toThrow(/#1 is 6\d{3} bytes/);
        expect(limited.fits(topic, { key: 'k', value: text('fits') })).toBe(true);
        const [offsets] = await admin.topicOffsets(topic);
        expect(offsets?.high).toBe('0');
      } finally {
        await limited.close();
      }
    });
  });
});
