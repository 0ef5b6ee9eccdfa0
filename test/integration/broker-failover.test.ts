import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ConsumedRecord,
  createDurableProducer,
  createKafkaClient,
  type RunningConsumer,
  runLaneConsumer,
} from '@wms-webhooks/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SideCluster, startSideCluster } from '../support/side-cluster';
import { quietLogger } from '../support/stack';
import { uniqueName } from '../support/unique';
import { waitFor } from '../support/wait-for';

const partitions = 12;

describe('the durable producer and a lane consumer on a three-broker cluster', () => {
  let cluster: SideCluster;
  let consumer: RunningConsumer | undefined;
  const consumed = new Set<string>();

  beforeAll(async () => {
    // Its own ports, above the fault suite's cluster, so the two never meet.
    cluster = await startSideCluster(await mkdtemp(join(tmpdir(), 'it-failover-')), () => {}, 29092);
  });

  afterAll(async () => {
    await consumer?.stop();
    await cluster?.stop();
  });

  describe('when the broker leading some partitions is killed mid-fetch', () => {
    it('writes one send across every partition and consumes each again, through the new leaders', {
      timeout: 240_000,
    }, async () => {
      const kafka = createKafkaClient({ clientId: 'it-failover', brokers: cluster.brokers });
      const admin = kafka.admin();
      const producer = createDurableProducer(kafka);
      const topic = uniqueName('it.failover');
      await admin.createTopics([
        { name: topic, partitions, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
      ]);
      const publish = (round: string) =>
        producer.send(
          topic,
          Array.from({ length: partitions }, (_, partition) => ({
            key: null,
            value: Buffer.from(`${round}-${partition}`),
            partition,
          })),
        );
      const allConsumed = (round: string) => {
        const missing = Array.from({ length: partitions }, (_, partition) => `${round}-${partition}`).filter(
          (value) => !consumed.has(value),
        );
        if (missing.length > 0) throw new Error(`not consumed: ${missing.join(', ')}`);
        return true;
      };

      consumer = await runLaneConsumer<ConsumedRecord>({
        kafka,
        groupId: uniqueName('it-failover'),
        topic,
        logger: quietLogger,
        startAt: 'earliest',
        sessionTimeout: 10_000,
        // Idle lanes keep a fetch waiting at every leader, as a quiet production partition does.
        fetchMaxWaitMs: 500,
        prepare: async (records) => ({ ready: records, readyThrough: records.at(-1)?.offset }),
        handle: async (records) => {
          for (const record of records) consumed.add(String(record.value));
          return undefined;
        },
      });
      await publish('before');
      await waitFor(() => allConsumed('before'), {
        timeoutMs: 60_000,
        message: 'every partition before the kill',
      });

      await cluster.kill('kafka-2');
      // One send for every partition: the dead broker's partitions move to both other brokers.
      await publish('after');
      // Leaders move within seconds of the kill; the wait allows for the broker's fencing and the producer's retries.
      expect(
        await waitFor(() => allConsumed('after'), {
          timeoutMs: 120_000,
          message: 'every partition after the kill',
        }),
      ).toBe(true);

      await producer.close();
      await admin.close();
    });
  });
});
