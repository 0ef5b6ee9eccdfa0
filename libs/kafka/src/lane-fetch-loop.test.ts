import type { Consumer } from '@platformatic/kafka';
import { describe, expect, it, vi } from 'vitest';
import type { ConsumedRecord } from './consumed-record';
import { fetchPace } from './fetch-pace';
import { laneFetchLoop } from './lane-fetch-loop';
import { type Lane, takeAhead } from './lane-plan';

const topic = 'deliveries';

const batchOf = (count: number, firstOffset: bigint) => ({
  firstOffset,
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
  /** Each partition asked for, with the offset it is fetched from. */
  partitions: Array<[number, bigint]>;
  /** Answers with this many records for each partition (none for a partition not named), from its offset. */
  answer: (records: Record<number, number>) => void;
}

/**
 * One leader (node 1) of partitions 0 and 1, and a consumer's fetch loop on it, whose last fetches brought
 * 1,000 records/s.
 */
function loopOnOneLeader() {
  const clock = { ms: 0 };
  const requests: FetchRequest[] = [];
  const wakeUps: number[] = [];
  const fetcher = {
    metadata: async () => ({
      topics: new Map([[topic, { id: 'topic-id', partitions: [{ leader: 1 }, { leader: 1 }] }]]),
    }),
    clearMetadata: () => undefined,
    fetch: (options: { topics: Array<{ partitions: Array<{ partition: number; fetchOffset: bigint }> }> }) =>
      new Promise((resolve) => {
        const asked = (options.topics[0]?.partitions ?? []).map(
          ({ partition, fetchOffset }) => [partition, fetchOffset] as [number, bigint],
        );
        requests.push({
          partitions: asked,
          answer: (records) =>
            resolve({
              responses: [
                {
                  partitions: asked.map(([partitionIndex, from]) => ({
                    partitionIndex,
                    errorCode: 0,
                    records: records[partitionIndex] ? [batchOf(records[partitionIndex], from)] : [],
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
  pace.received(1, 1_000);
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
    fetchAhead: true,
    maxBytesPerPartition: 1_048_576,
    now: () => clock.ms,
    owns: () => true,
    isStopping: () => false,
    startWork: (lane, records) => {
      lane.state = 'busy';
      lane.aheadFrom = BigInt(records.at(-1)?.offset ?? 0) + 1n;
      worked.push({ lane, records });
    },
    restartAtFirst: async () => undefined,
    later: (ms, then) => {
      wakeUps.push(ms);
      timers.push(then);
    },
  });
  /**
   * The lane's batch is done: it takes the batch fetched ahead, or idles, and the loop plans again, as a
   * lane consumer's release does.
   */
  const free = (partition: number) => {
    const lane = lanes.get(partition) as Lane;
    lane.position = lane.aheadFrom;
    const ahead = takeAhead(lane);
    if (ahead) {
      lane.aheadFrom = BigInt(ahead.at(-1)?.offset ?? 0) + 1n;
      worked.push({ lane, records: ahead });
    } else lane.state = 'idle';
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

const offsetsOf = (records: ConsumedRecord[]) => records.map((record) => record.offset);

describe('laneFetchLoop', () => {
  describe('when a partition works on a batch', () => {
    it('fetches its next batch at once, from the offset after that batch, beside the idle partitions', async () => {
      const run = loopOnOneLeader();
      await answerFirstFetch(run, 25);
      await vi.waitFor(() => expect(run.requests).toHaveLength(2));
      expect(run.requests[1]?.partitions).toEqual([
        [1, 0n],
        [0, 3n],
      ]);
      expect(run.wakeUps).toEqual([]);
    });

    it('keeps the batch fetched ahead until the partition frees up, then hands it over without a fetch', async () => {
      const run = loopOnOneLeader();
      await answerFirstFetch(run, 25);
      await vi.waitFor(() => expect(run.requests).toHaveLength(2));
      run.requests[1]?.answer({ 0: 2 });
      await vi.waitFor(() => expect(run.requests).toHaveLength(3));
      expect(run.worked).toHaveLength(1);
      // Its next batch is fetched, so only the idle partition is in the next fetch.
      expect(run.requests[2]?.partitions).toEqual([[1, 0n]]);

      run.free(0);
      expect(run.worked.map(({ records }) => offsetsOf(records))).toEqual([
        ['0', '1', '2'],
        ['3', '4'],
      ]);
      expect(run.requests).toHaveLength(3);
    });

    it('hands a partition that freed up while its next batch was in a fetch that batch as it comes', async () => {
      const run = loopOnOneLeader();
      await answerFirstFetch(run, 25);
      await vi.waitFor(() => expect(run.requests).toHaveLength(2));
      run.free(0);
      expect(run.requests).toHaveLength(2);

      run.requests[1]?.answer({ 0: 2 });
      await vi.waitFor(() => expect(run.worked).toHaveLength(2));
      expect(offsetsOf(run.worked[1]?.records ?? [])).toEqual(['3', '4']);
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
