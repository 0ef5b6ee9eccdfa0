import type { Consumer } from '@platformatic/kafka';
import { describe, expect, it, vi } from 'vitest';
import type { ConsumedRecord } from './consumed-record';
import { fetchPace } from './fetch-pace';
import { laneFetchLoop } from './lane-fetch-loop';
import type { Lane } from './lane-plan';

const topic = 'deliveries';

const batchOf = (count: number) => ({
  firstOffset: 0n,
  length: 0,
  partitionLeaderEpoch: 0,
  magic: 2,
  crc: 0,
  attributes: 0,
  lastOffsetDelta: count - 1,
  firstTimestamp: 0n,
  maxTimestamp: 0n,
  producerId: 1n,
  producerEpoch: 0,
  firstSequence: 0,
  records: Array.from({ length: count }, (_, offsetDelta) => ({
    length: 0,
    attributes: 0,
    timestampDelta: 0n,
    offsetDelta,
    key: null,
    value: Buffer.from('task'),
    headers: [],
  })),
});

interface FetchRequest {
  partitions: number[];
  /** Answers with this many records for each partition (none for a partition not named). */
  answer: (records: Record<number, number>) => void;
}

/**
 * One leader (node 1) of partitions 0 and 1, and a consumer's fetch loop on it. Batching: its last
 * fetches brought 1,000 records/s, each returning only as its wait ran out. Thin: 10 records/s, each
 * fetch returning at the first record.
 */
function loopOnOneLeader(traffic: 'batching' | 'thin' = 'batching') {
  const clock = { ms: 0 };
  const requests: FetchRequest[] = [];
  const wakeUps: number[] = [];
  const fetcher = {
    metadata: async () => ({
      topics: new Map([[topic, { id: 'topic-id', partitions: [{ leader: 1 }, { leader: 1 }] }]]),
    }),
    clearMetadata: () => undefined,
    fetch: (options: { topics: Array<{ partitions: Array<{ partition: number }> }> }) =>
      new Promise((resolve) => {
        requests.push({
          partitions: (options.topics[0]?.partitions ?? []).map(({ partition }) => partition),
          answer: (records) =>
            resolve({
              responses: [
                {
                  partitions: [0, 1].map((partitionIndex) => ({
                    partitionIndex,
                    errorCode: 0,
                    records: records[partitionIndex] ? [batchOf(records[partitionIndex])] : [],
                  })),
                },
              ],
            }),
        });
      }),
  } as unknown as Consumer;
  const pace = fetchPace({ minBytes: 16_384, maxWaitMs: 25, now: () => clock.ms });
  pace.minBytes(1);
  clock.ms += 1_000;
  if (traffic === 'batching') pace.received(1, 1_000, true);
  else pace.received(1, 10, false);
  const lanes = new Map<number, Lane>(
    [0, 1].map((partition) => [partition, { partition, claim: 1, state: 'idle', position: 0n }]),
  );
  const worked: Array<{ lane: Lane; records: ConsumedRecord[] }> = [];
  const timers: Array<() => void> = [];
  const loop = laneFetchLoop({
    topic,
    fetcher,
    lanes,
    pace,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    concurrency: 12,
    maxBytesPerPartition: 1_048_576,
    now: () => clock.ms,
    owns: () => true,
    isStopping: () => false,
    startWork: (lane, records) => {
      lane.state = 'busy';
      lane.busySince = clock.ms;
      worked.push({ lane, records });
    },
    restartAtFirst: async () => undefined,
    later: (ms, then) => {
      wakeUps.push(ms);
      timers.push(then);
    },
  });
  /** The lane's batch is done: it idles, and the loop plans again, as a lane consumer's release does. */
  const free = (partition: number) => {
    const lane = lanes.get(partition) as Lane;
    lane.state = 'idle';
    loop.pump();
  };
  return { clock, requests, wakeUps, timers, worked, loop, free };
}

/** Sends the loop's first fetch and answers it after `ms`, with `records` for partition 0 alone. */
async function answerFirstFetch(run: ReturnType<typeof loopOnOneLeader>, ms: number, records = 3) {
  run.loop.pump();
  await vi.waitFor(() => expect(run.requests).toHaveLength(1));
  run.clock.ms += ms;
  run.requests[0]?.answer({ 0: records });
}

describe('laneFetchLoop', () => {
  describe("when a leader's fetches return only as their wait runs out", () => {
    it('puts the next fetch off until a partition that took a batch frees up, so it is in that fetch', async () => {
      const run = loopOnOneLeader();
      await answerFirstFetch(run, 25);
      await vi.waitFor(() => expect(run.wakeUps).toEqual([25]));
      expect(run.requests).toHaveLength(1);

      run.clock.ms += 3;
      run.free(0);
      await vi.waitFor(() => expect(run.requests).toHaveLength(2));
      expect(run.requests[1]?.partitions).toEqual([0, 1]);
    });

    it('fetches the others once that partition has worked for long, as behind a slow receiver', async () => {
      const run = loopOnOneLeader();
      await answerFirstFetch(run, 25);
      await vi.waitFor(() => expect(run.timers).toHaveLength(1));

      run.clock.ms += 25;
      run.timers[0]?.();
      await vi.waitFor(() => expect(run.requests).toHaveLength(2));
      expect(run.requests[1]?.partitions).toEqual([1]);
    });
  });

  describe('when the traffic is too thin to end a fetch soon', () => {
    it('puts the next fetch off until the partition that took a record frees up, so it is in that fetch', async () => {
      const run = loopOnOneLeader('thin');
      await answerFirstFetch(run, 7, 1);
      await vi.waitFor(() => expect(run.wakeUps).toEqual([25]));
      expect(run.requests).toHaveLength(1);

      run.clock.ms += 2;
      run.free(0);
      await vi.waitFor(() => expect(run.requests).toHaveLength(2));
      expect(run.requests[1]?.partitions).toEqual([0, 1]);
    });
  });

  describe('when the records fill a fetch before its wait runs out, as in a backlog', () => {
    it('fetches the idle partitions at once', async () => {
      const run = loopOnOneLeader();
      await answerFirstFetch(run, 2);
      await vi.waitFor(() => expect(run.requests).toHaveLength(2));
      expect(run.requests[1]?.partitions).toEqual([1]);
      expect(run.wakeUps).toEqual([]);
    });
  });

  it('hands each partition its records', async () => {
    const run = loopOnOneLeader();
    run.loop.pump();
    await vi.waitFor(() => expect(run.requests).toHaveLength(1));
    run.requests[0]?.answer({ 0: 2, 1: 1 });
    await vi.waitFor(() => expect(run.worked).toHaveLength(2));
    expect(run.worked.map(({ lane, records }) => [lane.partition, records.length])).toEqual([
      [0, 2],
      [1, 1],
    ]);
  });
});
