import { type Consumer, FetchIsolationLevels, type fetchV17 } from '@platformatic/kafka';
import { type ConsumedRecord, nextOffsetAfter, recordsIn, recordsOf } from './consumed-record';
import type { FetchPace } from './fetch-pace';
import { kafkaErrorMessage } from './kafka-errors';
import type { LaneLogger } from './lane-options';
import { byLeader, everyLaneInFetch, type Lane, lanesToFetch, workingUntil } from './lane-plan';
import { failureStreaks } from './retry-delay';

/** Kafka's error code for a fetch offset the partition does not hold. */
const offsetOutOfRangeCode = 1;

type FetchResponse = fetchV17.FetchResponse;

export interface LaneFetchLoopDeps {
  topic: string;
  /** A client of its own that never retries (see runLaneConsumer). */
  fetcher: Consumer;
  /** The member's lanes, by partition; the loop fetches those that are idle. */
  lanes: ReadonlyMap<number, Lane>;
  pace: FetchPace;
  logger: LaneLogger;
  /** The most partitions whose batches are handled at once. */
  concurrency: number;
  maxBytesPerPartition: number;
  now: () => number;
  owns: (lane: Lane) => boolean;
  isStopping: () => boolean;
  /** Hands a lane its fetched records. */
  startWork: (lane: Lane, records: ConsumedRecord[]) => void;
  /** Moves lanes whose offset the partition no longer holds (deleted by retention) to its first record. */
  restartAtFirst: (lanes: Lane[]) => Promise<void>;
  later: (ms: number, then: () => void) => void;
  onSteppedOver?: (partition: number, nextOffset: bigint) => void;
}

/**
 * The fetch loop of a lane consumer: plans a fetch to each leader of idle lanes, sends it, and hands
 * the records to their lanes. `pump` is called whenever a lane may have become idle.
 */
export function laneFetchLoop(deps: LaneFetchLoopDeps): { pump: () => void } {
  const { topic, fetcher, lanes, pace, logger, owns } = deps;
  const fetchingNodes = new Set<number>();

  /**
   * Applies a fetch response to the lanes it was for: records go to their lane, a lane with none idles.
   * Returns the lanes whose offset the partition no longer holds; a lane with another error stays fetching.
   */
  const receive = (fetched: Lane[], requested: Map<number, bigint>, response: FetchResponse) => {
    const partitions = response.responses.flatMap((entry) => entry.partitions);
    const outOfRange: Lane[] = [];
    if (deps.isStopping()) return outOfRange;
    for (const lane of fetched) {
      const from = requested.get(lane.partition);
      if (!owns(lane) || from === undefined) continue;
      const answer = partitions.find((entry) => entry.partitionIndex === lane.partition);
      if (answer && answer.errorCode !== 0) {
        if (answer.errorCode === offsetOutOfRangeCode) outOfRange.push(lane);
        continue;
      }
      const batches = answer?.records ?? [];
      const records = recordsOf(topic, lane.partition, batches, from);
      const after = nextOffsetAfter(batches);
      if (records.length > 0) {
        deps.startWork(lane, records);
      } else {
        // Batches of nothing but control records or compacted-away offsets: step over them.
        if (after !== undefined && after > from) {
          lane.position = after;
          deps.onSteppedOver?.(lane.partition, after);
        }
        lane.state = 'idle';
      }
    }
    return outOfRange;
  };

  /** Fetch failures per leader; planning, which asks any broker, counts as node -1. */
  const fetchFailures = failureStreaks<number>();
  const planning = -1;

  const fetchFrom = async (node: number, topicId: string, fetched: Lane[], allInFetch: boolean) => {
    const requested = new Map(fetched.map((lane) => [lane.partition, lane.position ?? 0n]));
    const maxWaitTime = pace.maxWaitMs(node, allInFetch);
    const sentAt = deps.now();
    try {
      const response = await fetcher.fetch({
        node,
        maxWaitTime,
        minBytes: pace.minBytes(node),
        maxBytes: 50 * 1_048_576,
        isolationLevel: FetchIsolationLevels.READ_COMMITTED,
        topics: [
          {
            topicId,
            partitions: fetched.map((lane) => ({
              partition: lane.partition,
              fetchOffset: requested.get(lane.partition) ?? 0n,
              partitionMaxBytes: deps.maxBytesPerPartition,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
            })),
          },
        ],
      });
      fetchFailures.succeeded(node, planning);
      pace.received(node, recordsIn(response), deps.now() - sentAt >= maxWaitTime);
      receive(fetched, requested, response);
    } catch (error) {
      const response = (error as { response?: FetchResponse }).response;
      const outOfRange = response ? receive(fetched, requested, response) : [];
      if (outOfRange.length > 0) {
        logger.warn(
          { topic, partitions: outOfRange.map((lane) => lane.partition) },
          'offset no longer on the partition (deleted by retention); starting at its first record',
        );
        await deps.restartAtFirst(outOfRange);
      }
      const failed = fetched.filter(
        (lane) => owns(lane) && lane.state === 'fetching' && !outOfRange.includes(lane),
      );
      if (failed.length > 0 && !deps.isStopping()) {
        const backoff = fetchFailures.failed(node);
        logger.warn({ err: kafkaErrorMessage(error), topic, node, ...backoff }, 'fetch failed; retrying');
        fetcher.clearMetadata();
        // Held, not idle: another leader's fetch returning must not plan these again before their wait.
        for (const lane of failed) lane.state = 'held';
        deps.later(backoff.retryInMs, () => {
          for (const lane of failed) if (owns(lane) && lane.state === 'held') lane.state = 'idle';
          pump();
        });
      }
      for (const lane of fetched) if (lane.state === 'fetching') lane.state = 'idle';
    } finally {
      fetchingNodes.delete(node);
    }
    pump();
  };

  /** When a fetch put off for working lanes is planned again, if one is. */
  let wakeAt: number | undefined;
  const wakeUpAt = (at: number) => {
    if (wakeAt !== undefined && wakeAt <= at) return;
    wakeAt = at;
    deps.later(Math.max(0, at - deps.now()), () => {
      wakeAt = undefined;
      pump();
    });
  };

  let pumping = false;
  /** Sends a fetch to each leader whose idle partitions may take more work. */
  function pump() {
    if (deps.isStopping() || pumping) return;
    pumping = true;
    queueMicrotask(() => {
      pumping = false;
      void fetchIdle().catch((error: unknown) => {
        const backoff = fetchFailures.failed(planning);
        logger.warn({ err: kafkaErrorMessage(error), topic, ...backoff }, 'fetch planning failed; retrying');
        deps.later(backoff.retryInMs, pump);
      });
    });
  }

  const fetchIdle = async () => {
    if (deps.isStopping() || ![...lanes.values()].some((lane) => lane.state === 'idle')) return;
    const metadata = await fetcher.metadata({ topics: [topic] });
    // Lanes are chosen after the wait, so two plans in a row never fetch the same lane twice.
    const chosen = lanesToFetch(lanes.values(), deps.concurrency);
    if (deps.isStopping() || chosen.length === 0) return;
    const described = metadata.topics.get(topic);
    if (!described) throw new Error(`${topic} is not in the cluster's metadata`);
    const leaderOf = (partition: number) => described.partitions[partition]?.leader;
    const byNode = byLeader(chosen, leaderOf, fetchingNodes);
    const working = workingUntil(lanes.values(), leaderOf, deps.now());
    for (const node of byNode.keys()) {
      const until = working.get(node);
      if (until === undefined || !pace.gathers(node)) continue;
      // Its working lanes free up any moment, or are slow by `until`; a lane freeing up plans again.
      byNode.delete(node);
      wakeUpAt(until);
    }
    for (const [node, fetched] of byNode) {
      fetchingNodes.add(node);
      for (const lane of fetched) lane.state = 'fetching';
    }
    const allInFetch = everyLaneInFetch(lanes.values());
    for (const [node, fetched] of byNode) void fetchFrom(node, described.id, fetched, allInFetch);
  };

  return { pump };
}
