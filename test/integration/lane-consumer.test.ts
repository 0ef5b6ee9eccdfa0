import { ensureTopics } from '@wms-webhooks/kafka';
import {
  createLogger,
  type RunningConsumer,
  runLaneConsumer,
  type StagedBatch,
} from '@wms-webhooks/service-runtime';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKafka } from '../support/stack';
import { uniqueName } from '../support/unique';
import { waitFor } from '../support/wait-for';

interface Gate {
  promise: Promise<void>;
  open(): void;
}

/** Every gate a test made: opened after the tests, so a failed test cannot leave a stop waiting forever. */
const gates: Gate[] = [];

function gate(): Gate {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  const made = { promise, open };
  gates.push(made);
  return made;
}

describe('a lane consumer whose handler stages its batches', () => {
  const kafka = testKafka('it-lane-consumer');
  const admin = kafka.admin();
  const producer = kafka.producer();
  const logger = createLogger('it-lane-consumer', 'fatal');
  const running: RunningConsumer[] = [];

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    for (const made of gates) made.open();
    await Promise.allSettled(running.map((consumer) => consumer.stop()));
    await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
  });

  /** One partition, so batches of one partition follow each other; each value names its record. */
  async function start(finishFor: (values: string[]) => StagedBatch['finish']) {
    const topic = uniqueName('it.lane-staged');
    const groupId = uniqueName('it-lane-staged');
    await ensureTopics(admin, [
      { name: topic, partitions: 1, cleanupPolicy: 'delete', retentionMs: 3_600_000 },
    ]);
    const handled: string[][] = [];
    const consumer = await runLaneConsumer<KafkaMessage>({
      kafka,
      groupId,
      topic,
      logger,
      sessionTimeout: 6_000,
      prepare: async (messages) => ({ ready: messages, readyThrough: messages.at(-1)?.offset }),
      handle: async (messages) => {
        const values = messages.map((message) => String(message.value));
        handled.push(values);
        return { finish: finishFor(values) };
      },
    });
    running.push(consumer);
    const produce = (value: string) => producer.send({ topic, messages: [{ value }] });
    const committed = async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return Number(offsets?.partitions[0]?.offset ?? -1);
    };
    return { consumer, handled, produce, committed };
  }

  describe('when a batch is still finishing', () => {
    it('handles the next batch meanwhile, holds a third, and commits each only after its finish', async () => {
      const gatesByBatch = new Map<string, Gate>();
      const finished: string[] = [];
      const finishedWhenHandled = new Map<string, string[]>();
      const lane = await start((values) => {
        const name = values.join(',');
        finishedWhenHandled.set(name, [...finished]);
        const finishing = gate();
        gatesByBatch.set(name, finishing);
        return async () => {
          await finishing.promise;
          finished.push(name);
        };
      });
      const handledNames = () => lane.handled.map((values) => values.join(','));

      await lane.produce('a');
      await waitFor(() => handledNames().includes('a'), { message: 'a handled' });
      await lane.produce('b');
      await waitFor(() => handledNames().includes('b'), { message: 'b handled while a finishes' });
      expect(finishedWhenHandled.get('b')).toEqual([]);
      expect(await lane.committed()).toBe(-1);

      await lane.produce('c');
      gatesByBatch.get('a')?.open();
      await waitFor(async () => (await lane.committed()) === 1, { message: 'a committed' });
      await waitFor(() => handledNames().includes('c'), { message: 'c handled once a finished' });
      expect(finishedWhenHandled.get('c')).toEqual(['a']);
      expect(await lane.committed()).toBe(1);

      gatesByBatch.get('b')?.open();
      await waitFor(async () => (await lane.committed()) === 2, { message: 'b committed' });
      gatesByBatch.get('c')?.open();
      await waitFor(async () => (await lane.committed()) === 3, { message: 'c committed' });
      expect(finished).toEqual(['a', 'b', 'c']);
    });
  });

  describe('when finishing a batch fails', () => {
    it('retries the finish alone, and commits once it succeeds', async () => {
      let finishCalls = 0;
      const lane = await start(() => async () => {
        finishCalls += 1;
        if (finishCalls === 1) throw new Error('store unavailable');
      });
      await lane.produce('a');
      await waitFor(async () => (await lane.committed()) === 1, { message: 'a committed after a retry' });
      expect(finishCalls).toBe(2);
      expect(lane.handled).toEqual([['a']]);
    });
  });

  describe('when stopped while a batch is finishing', () => {
    it('waits for the finish and commits before it disconnects', async () => {
      const finishing = gate();
      const lane = await start(() => () => finishing.promise);
      await lane.produce('a');
      await waitFor(() => lane.handled.length === 1, { message: 'a handled' });
      const stopped = lane.consumer.stop();
      finishing.open();
      await stopped;
      expect(await lane.committed()).toBe(1);
    });
  });
});
