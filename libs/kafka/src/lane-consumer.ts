import { Consumer, type ConsumerGroupJoinPayload, ListOffsetTimestamps } from '@platformatic/kafka';
import type { ConsumedRecord } from './consumed-record';
import { fetchPace } from './fetch-pace';
import { gatheredCommits } from './gathered-commits';
import { kafkaErrorMessage } from './kafka-errors';
import { laneFetchLoop } from './lane-fetch-loop';
import type { LaneConsumerOptions, RunningConsumer } from './lane-options';
import { type Lane, orderedCommits } from './lane-plan';
import { retryDelayMs } from './retry-delay';

/**
 * A consumer group member whose partitions never wait for each other. Each owned partition is a lane:
 * it is fetched only while its lane is idle, so a partition stuck behind a receiver that hangs until its
 * timeout holds nothing but itself, and the fetch loop goes on with the others. A fetched batch's ready
 * records go to the lane; once its work is durable the offset after it is committed (a crash re-delivers
 * rather than loses) and the lane fetches again, at once or, when a record is not yet due, at its due
 * time. Heartbeats run on their own timer, so a long batch never costs the membership; a hold is derived
 * from the record, so a new owner holds it the same way.
 */
export async function runLaneConsumer<T>(options: LaneConsumerOptions<T>): Promise<RunningConsumer> {
  const now = options.now ?? Date.now;
  const { topic, logger } = options;
  const pace = fetchPace({
    minBytes: options.fetchMinBytes ?? 1,
    maxWaitMs: options.fetchMaxWaitMs ?? 25,
    now,
  });
  const concurrency = options.partitionsConsumedConcurrently ?? 12;
  const consumer = new Consumer({
    ...options.kafka.options(`consumer-${options.groupId}`),
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeout ?? 30_000,
    heartbeatInterval: 3_000,
    // Rejoins, commits and offset lookups wait out an unreachable cluster rather than give up.
    retries: true,
  });
  consumer.topics.track(topic);
  /**
   * Fetches, and the leaders they are planned by, go through a client of their own that never retries.
   * A fetch retried inside the client follows its partitions to their new leader, where this loop is
   * already fetching: two fetches then share that leader's fetch session and invalidate each other's
   * epoch, retried without end and unlogged (a partition stalled until leadership moved back, 5 minutes
   * after a broker's SIGKILL). Failing here instead, the loop logs it and plans again by the leaders of now.
   */
  const fetcher = new Consumer({
    ...options.kafka.options(`fetcher-${options.groupId}`),
    groupId: options.groupId,
    retries: 0,
  });
  fetcher.topics.track(topic);

  const lanes = new Map<number, Lane>();
  const batches = orderedCommits();
  const working = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let claims = 0;
  let memberId: string | null = null;
  let joined = false;
  let stopping = false;

  const commits = gatheredCommits({
    intervalMs: options.commitIntervalMs ?? 0,
    send: (offsets) =>
      consumer.commit({ offsets: offsets.map((entry) => ({ ...entry, topic, leaderEpoch: -1 })) }),
    onError: (error, partitions) =>
      logger.warn(
        { err: kafkaErrorMessage(error), topic, partitions },
        'commit failed; the next owner re-delivers',
      ),
  });

  const owns = (lane: Lane) => lanes.get(lane.partition)?.claim === lane.claim;

  const later = (ms: number, then: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      then();
    }, ms);
    timers.add(timer);
  };

  /** Runs a step until it succeeds; undefined if its partitions are lost or the consumer stops first. */
  const untilDone = async <R>(step: () => Promise<R>, forLanes: Lane[], what: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return { value: await step() };
      } catch (error) {
        // While stopping, leave the batch uncommitted: whoever owns the partition next re-delivers it.
        if (stopping || !forLanes.some(owns)) return undefined;
        const backoffMs = retryDelayMs(attempt);
        logger.warn(
          {
            err: kafkaErrorMessage(error),
            attempt,
            backoffMs,
            topic,
            partitions: forLanes.map((lane) => lane.partition),
          },
          `${what}; retrying`,
        );
        await new Promise((resolveDelay) => setTimeout(resolveDelay, backoffMs));
      }
    }
  };

  const commit = async (lane: Lane, offset: bigint) => {
    // A partition this member no longer owns is another's to commit.
    if (!owns(lane) || options.commit === false) return;
    commits.add(lane.partition, offset, () => owns(lane));
  };

  /** The partition's previous batch's step, which the lane waits for; this one commits after it. */
  const commitAfter = (lane: Lane, durable: () => Promise<boolean>, offset: bigint) =>
    batches.after(lane.partition, durable, () => commit(lane, offset));

  const release = (lane: Lane, holdUntil: number | undefined) => {
    if (stopping || !owns(lane)) return;
    const waitMs = holdUntil === undefined ? 0 : Math.max(0, holdUntil - now());
    if (waitMs === 0) {
      lane.state = 'idle';
      return pump();
    }
    options.onHold?.(lane.partition, waitMs);
    lane.state = 'held';
    later(waitMs, () => {
      if (stopping || !owns(lane)) return;
      lane.state = 'idle';
      pump();
    });
  };

  const work = async (lane: Lane, records: ConsumedRecord[]) => {
    const context = { topic, partition: lane.partition };
    const prepared = await untilDone(() => options.prepare(records), [lane], 'preparing a batch failed');
    if (!prepared) return;
    const { ready, readyThrough, holdUntil } = prepared.value;
    if (readyThrough === undefined) return release(lane, holdUntil);
    const next = BigInt(readyThrough) + 1n;
    if (ready.length === 0) {
      // Every record was passed over (filed away by prepare): the position moves on all the same.
      if (owns(lane)) lane.position = next;
      await commitAfter(lane, async () => true, next);
      return release(lane, holdUntil);
    }
    const handled = await untilDone(() => options.handle(ready, context), [lane], 'batch failed');
    if (!handled) return;
    if (owns(lane)) lane.position = next;
    const staged = handled.value;
    const durable = staged
      ? async () => (await untilDone(staged.finish, [lane], 'finishing a batch failed')) !== undefined
      : async () => true;
    // The batch finishes (if staged) and commits while the next one is fetched and handled; only one
    // batch may be outstanding, so a slow store or coordinator holds the lane back.
    await commitAfter(lane, durable, next);
    release(lane, holdUntil);
  };

  const startWork = (lane: Lane, records: ConsumedRecord[]) => {
    lane.state = 'busy';
    lane.busySince = now();
    const running: Promise<void> = work(lane, records)
      .catch((error: unknown) =>
        logger.error({ err: kafkaErrorMessage(error), topic, partition: lane.partition }, 'lane failed'),
      )
      .finally(() => working.delete(running));
    working.add(running);
  };

  /**
   * Where each newly owned partition starts: its committed offset, or the configured end without one.
   * A committed offset retention has deleted is passed over for the partition's first record.
   */
  const position = async (fresh: Lane[], committedIsGone = false) => {
    const committed = new Map<number, bigint>();
    if (options.commit !== false && !committedIsGone) {
      const groups = await consumer.listCommittedOffsets({
        topics: [{ topic, partitions: fresh.map((lane) => lane.partition) }],
      });
      (groups.get(topic) ?? []).forEach((offset, partition) => {
        if (offset >= 0n) committed.set(partition, offset);
      });
    }
    const unset = fresh.filter((lane) => !committed.has(lane.partition));
    const startAt = committedIsGone ? 'earliest' : (options.startAt ?? 'earliest');
    const given = typeof startAt === 'object' ? startAt.offsets : undefined;
    const looked = unset.filter((lane) => given?.get(lane.partition) === undefined);
    const starts =
      looked.length === 0
        ? []
        : ((
            await consumer.listOffsets({
              topics: [topic],
              partitions: { [topic]: looked.map((lane) => lane.partition) },
              timestamp: startAt === 'latest' ? ListOffsetTimestamps.LATEST : ListOffsetTimestamps.EARLIEST,
            })
          ).get(topic) ?? []);
    for (const lane of unset) {
      const offset = given?.get(lane.partition);
      if (offset !== undefined) starts[lane.partition] = offset;
    }
    for (const lane of fresh) {
      if (!owns(lane)) continue;
      lane.position = committed.get(lane.partition) ?? starts[lane.partition] ?? 0n;
    }
  };

  const onJoin = (payload: ConsumerGroupJoinPayload) => {
    if (stopping) return;
    joined = true;
    // A new member id means this member was expelled meanwhile: what it held may have moved on.
    if (payload.memberId !== memberId) lanes.clear();
    memberId = payload.memberId;
    const owned = new Set(
      (payload.assignments ?? [])
        .filter((entry) => entry.topic === topic)
        .flatMap((entry) => entry.partitions),
    );
    for (const partition of lanes.keys()) if (!owned.has(partition)) lanes.delete(partition);
    const fresh: Lane[] = [];
    for (const partition of owned) {
      if (lanes.has(partition)) continue;
      const lane: Lane = { partition, claim: ++claims, state: 'idle' };
      lanes.set(partition, lane);
      fresh.push(lane);
    }
    if (fresh.length === 0) return pump();
    const placed = untilDone(() => position(fresh), fresh, 'reading committed offsets failed');
    void placed.then(() => pump());
  };

  const loop = laneFetchLoop({
    topic,
    fetcher,
    lanes,
    pace,
    logger,
    concurrency,
    maxBytesPerPartition: options.fetchMaxBytesPerPartition ?? 1_048_576,
    now,
    owns,
    isStopping: () => stopping,
    startWork,
    restartAtFirst: async (outOfRange) => {
      await untilDone(() => position(outOfRange, true), outOfRange, 'resetting offsets failed');
    },
    later,
    onSteppedOver: options.onSteppedOver,
  });
  function pump() {
    loop.pump();
  }

  consumer.on('consumer:group:join', onJoin);
  // Before the member rejoins, what waits for the interval is committed, so the partitions that move are
  // not handled again by their next owner.
  consumer.on('consumer:group:rebalance', () => {
    if (!stopping) void commits.flush();
  });
  consumer.on('consumer:heartbeat:error', (payload) => {
    if (!stopping)
      logger.warn({ err: kafkaErrorMessage(payload.error), groupId: options.groupId }, 'heartbeat failed');
  });
  // The client rejoins by itself after a rebalance; a rejoin that fails leaves the member out of the group
  // until it joins again, and not ready meanwhile.
  consumer.on('error', (error: unknown) => {
    if (stopping) return;
    joined = false;
    logger.error(
      { err: kafkaErrorMessage(error), groupId: options.groupId },
      'left the group; joining again',
    );
    later(5_000, () => {
      if (!stopping) void consumer.joinGroup({}).catch(() => undefined);
    });
  });
  await consumer.joinGroup({});

  return {
    isJoined: () => joined && !stopping,
    stop: async () => {
      stopping = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.allSettled(working);
      await Promise.allSettled(batches.pending());
      await commits.flush();
      await consumer.close();
      await fetcher.close();
    },
  };
}
