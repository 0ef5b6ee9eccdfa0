import { createDurableProducer } from '@wms-webhooks/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKafka } from '../support/stack';
import { uniqueName } from '../support/unique';

describe('the durable producer against a real broker', () => {
  const topic = uniqueName('it.durable-producer');
  const kafka = testKafka('it-durable-producer');
  const admin = kafka.admin();
  const producer = createDurableProducer(kafka);

  beforeAll(async () => {
    await admin.connect();
    // A record batch over 4 KB is refused on this topic, so a record of 6 KB is one the broker will never take.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '4096' }] }],
    });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  describe('when a send the broker refuses shares a request with others', () => {
    it('fails that send alone, and the others are written', async () => {
      const record = (value: Buffer) => [{ key: 'same-partition', value }];
      const small = () => Buffer.alloc(200, 1);
      const first = producer.send(topic, record(small()));
      // Sent while the first is in flight, these three go out in one request, which the broker refuses.
      const before = producer.send(topic, record(small()));
      const refused = producer.send(topic, record(Buffer.alloc(6_000, 2)));
      const after = producer.send(topic, record(small()));

      await expect(first).resolves.toBeUndefined();
      await expect(before).resolves.toBeUndefined();
      await expect(refused).rejects.toThrow(/larger than|too large/i);
      await expect(after).resolves.toBeUndefined();
      const [offsets] = await admin.fetchTopicOffsets(topic);
      expect(offsets?.high).toBe('3');
    });
  });
});
