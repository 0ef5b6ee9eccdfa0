import diagnostics from 'node:diagnostics_channel';
import {
  type ConsumedRecord,
  createDurableProducer,
  ensureTopics,
  type RunningConsumer,
  runLaneConsumer,
  type StagedBatch,
} from '@wms-webhooks/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { quietLogger, testKafka } from '../support/stack';
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

// Keys the Java client's murmur2 puts on partition 0 and 1 of two.
const keyFor = ['a', 'd'] as const;

describe('a lane consumer against a real broker', () => {
  const kafka = testKafka('it-lane-consumer');
  const admin = kafka.admin();
  const producer = createDurableProducer(kafka);
  const running: RunningConsumer[] = [];
  const created: string[] = [];

  afterAll(async () => {
    for (const made of gates) made.open();
    await Promise.allSettled(running.map((consumer) => consumer.stop()));
    await producer.close();
    await admin.deleteTopics(created).catch(() => undefined);
    await admin.close();
  });

  const topicWith = async (partitions: number) => {
    const topic = uniqueName('it.lane');
    created.push(topic);
    await ensureTopics(admin, [
      {
        name: topic,
        partitions,
        cleanupPolicy: 'delete',
        retentionMs: 3_600_000,
        maxMessageBytes: 1_048_576,
      },
    ]);
    return topic;
  };

  /** A member of `groupId` whose handler calls `handle` with each batch's values, by partition. */
  const member = async (
    topic: string,
    groupId: string,
    handle: (values: string[], partition: number) => Promise<StagedBatch | undefined>,
    commitIntervalMs?: number,
  ) => {
    const consumer = await runLaneConsumer<ConsumedRecord>({
      kafka,
      groupId,
      topic,
      logger: quietLogger,
      sessionTimeout: 6_000,
      commitIntervalMs,
      prepare: async (records) => ({ ready: records, readyThrough: records.at(-1)?.offset }),
      handle: (records, { partition }) =>
        handle(
          records.map((record) => String(record.value)),
          partition,
        ),
    });
    running.push(consumer);
    return consumer;
  };

  const produce = (topic: string, value: string, partition = 0) =>
    producer.send(topic, [{ key: keyFor[partition] ?? null, value: Buffer.from(value) }]);

  const committed = async (topic: string, groupId: string, partition = 0) => {
    const offsets = await admin.committedOffsets(groupId, topic);
    return Number(offsets.find((entry) => entry.partition === partition)?.offset ?? -1);
  };

  /** One partition, so batches of one partition follow each other; each value names its record. */
  async function start(finishFor: (values: string[]) => StagedBatch['finish']) {
    const topic = await topicWith(1);
    const groupId = uniqueName('it-lane-staged');
    const handled: string[][] = [];
    const consumer = await member(topic, groupId, async (values) => {
      handled.push(values);
      return { finish: finishFor(values) };
    });
    return {
      consumer,
      handled,
      produce: (value: string) => produce(topic, value),
      committed: () => committed(topic, groupId),
    };
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

  describe('when the batch of one partition hangs', () => {
    it('goes on fetching and handling the other partitions', async () => {
      const topic = await topicWith(2);
      const hang = gate();
      const handled: string[] = [];
      await member(topic, uniqueName('it-lane-hang'), async (values, partition) => {
        if (partition === 0) await hang.promise;
        handled.push(...values);
        return undefined;
      });
      await produce(topic, 'stuck', 0);
      for (const value of ['p1-a', 'p1-b', 'p1-c']) await produce(topic, value, 1);
      await waitFor(() => handled.length === 3, { message: 'partition 1 handled while partition 0 hangs' });
      expect(handled).toEqual(['p1-a', 'p1-b', 'p1-c']);
      hang.open();
      await waitFor(() => handled.includes('stuck'), { message: 'partition 0 handled once released' });
    });
  });

  describe('when the lanes of several partitions make batches durable within the commit interval', () => {
    it('commits them in shared requests, none sooner than the interval after the last, and the newest when it stops', async () => {
      const intervalMs = 300;
      const partitions = 4;
      const topic = await topicWith(partitions);
      const groupId = uniqueName('it-lane-commits');
      const commitStarts: number[] = [];
      const onCommit = (context: unknown) => {
        const { operation, options } = context as {
          operation?: string;
          options?: { offsets?: Array<{ topic: string }> };
        };
        if (operation === 'commit' && options?.offsets?.some((entry) => entry.topic === topic))
          commitStarts.push(performance.now());
      };
      diagnostics.subscribe('tracing:plt:kafka:consumer:commits:start', onCommit);
      try {
        let batches = 0;
        const consumer = await member(
          topic,
          groupId,
          async () => {
            batches += 1;
            return undefined;
          },
          intervalMs,
        );
        const send = (round: number) =>
          producer.send(
            topic,
            Array.from({ length: partitions }, (_, partition) => ({
              key: null,
              value: Buffer.from(`r${round}-p${partition}`),
              partition,
            })),
          );
        const allCommitted = async (offset: number) => {
          for (let partition = 0; partition < partitions; partition++)
            if ((await committed(topic, groupId, partition)) !== offset) return false;
          return true;
        };
        const rounds = 5;
        for (let round = 1; round <= rounds; round++) {
          await send(round);
          await waitFor(() => allCommitted(round), { message: `round ${round} committed` });
        }
        const gaps = commitStarts.slice(1).map((at, index) => at - (commitStarts[index] ?? 0));
        expect(gaps.length, 'commits').toBeGreaterThanOrEqual(rounds - 1);
        expect(Math.min(...gaps), `gaps between commits: ${gaps.map(Math.round)}`).toBeGreaterThanOrEqual(
          intervalMs - 5,
        );
        expect(commitStarts.length).toBeLessThan(batches);

        // Stopping right after the last round is handled: what still waits for the interval, the stop commits.
        await send(rounds + 1);
        await waitFor(() => batches >= (rounds + 1) * partitions, { message: 'the last round handled' });
        await consumer.stop();
        expect(await allCommitted(rounds + 1)).toBe(true);
      } finally {
        diagnostics.unsubscribe('tracing:plt:kafka:consumer:commits:start', onCommit);
      }
    });
  });

  describe('when a rebalance moves a partition whose commit waits for the interval', () => {
    it('commits it before the partition moves, so the new owner does not handle it again', async () => {
      const topic = await topicWith(2);
      const groupId = uniqueName('it-lane-rebalance-waiting');
      const firstHandled: string[] = [];
      await member(
        topic,
        groupId,
        async (values, partition) => {
          firstHandled.push(...values.map((value) => `${value}-p${partition}`));
          return undefined;
        },
        60_000,
      );
      // The first commit goes at once; the rest wait out the interval, far past the rebalance.
      for (const round of ['x0', 'x1'])
        for (const partition of [0, 1]) await produce(topic, round, partition);
      await waitFor(() => ['x1-p0', 'x1-p1'].every((value) => firstHandled.includes(value)), {
        message: 'both rounds handled by the first member',
      });

      const secondHandled: string[] = [];
      const second = await member(topic, groupId, async (values) => {
        secondHandled.push(...values);
        return undefined;
      });
      await waitFor(() => second.isJoined(), { message: 'the second member joined' });
      await produce(topic, 'x2', 0);
      await produce(topic, 'x2', 1);
      await waitFor(() => secondHandled.includes('x2'), {
        message: 'the moved partition handled by the second member',
      });
      expect(secondHandled).toEqual(['x2']);
    });
  });

  describe('when a rebalance moves a partition whose batch is still finishing', () => {
    it('leaves the commit to the new owner: the old owner commits nothing stale', async () => {
      const topic = await topicWith(2);
      const groupId = uniqueName('it-lane-rebalance');
      const held = gate();
      const firstHandled: number[] = [];
      const first = await member(topic, groupId, async (_values, partition) => {
        firstHandled.push(partition);
        return { finish: () => held.promise };
      });
      await produce(topic, 'x0', 0);
      await produce(topic, 'x0', 1);
      await waitFor(() => firstHandled.length === 2, {
        message: 'both partitions handled by the first member',
      });

      const secondHandled: Array<{ partition: number; values: string[] }> = [];
      await member(topic, groupId, async (values, partition) => {
        secondHandled.push({ partition, values });
        return undefined;
      });
      const moved = await waitFor(() => secondHandled[0]?.partition, {
        message: 'a partition moved to the second member',
      });
      await waitFor(async () => (await committed(topic, groupId, moved)) === 1, {
        message: 'x0 committed by the new owner',
      });
      await produce(topic, 'x1', moved);
      await waitFor(async () => (await committed(topic, groupId, moved)) === 2, {
        message: 'x1 committed by the new owner',
      });

      // The first member's batch of the moved partition finishes now; stopping waits for its commit step.
      held.open();
      await first.stop();
      expect(await committed(topic, groupId, moved)).toBe(2);
      expect(await committed(topic, groupId, 1 - moved)).toBe(1);
    });
  });
});
