import type { OutOfFetch } from './lane-plan';

/** How long the records fetched from a leader are counted before its traffic is judged again. */
const windowMs = 1_000;
/** Below this many records per wait, waiting saves too few requests to be worth its latency. */
const eagerBelow = 4;
/** From this many records per wait, fetches wait for the configured minimum again. */
const batchingFrom = 8;
/** How long a fetch that holds back no record may wait: what an idle consumer costs is a fetch this often. */
const idleWaitMs = 500;
/** How long a fetch that returns at the first record may wait while a partition works: how late that partition's next record may be. */
const workingWaitMs = 2;

export interface FetchPaceOptions {
  /** The minimum a fetch waits for under load (`KAFKA_FETCH_MIN_BYTES`); 1 turns the pacing off. */
  minBytes: number;
  /** The longest a fetch waits for it (`KAFKA_FETCH_MAX_WAIT_MS`). */
  maxWaitMs: number;
  now: () => number;
}

interface LeaderTraffic {
  records: number;
  since: number;
  batching: boolean;
  /** Too few records per wait to end one soon: below the eager threshold. */
  thin: boolean;
  /** The last fetch from this leader returned when its wait ran out, not at its minimum. */
  waitedOut: boolean;
}

/**
 * The minimum each fetch asks a leader to wait for. Under load a fetch waits for `minBytes` (or the
 * wait), so one request carries many records and every hop and the broker spend less per record. When a
 * leader's traffic is so thin that a wait would gather only a record or two, the wait adds its whole
 * length to each hop and saves next to nothing, so the fetch returns at the first record instead. The
 * two thresholds are apart, so a rate between them keeps its mode rather than switching every second.
 *
 * A consumer starts eager: a backlog fills any fetch at once either way, and a quiet topic is served
 * without the wait from the first record.
 */
export function fetchPace(options: FetchPaceOptions) {
  const leaders = new Map<number, LeaderTraffic>();
  const trafficOf = (node: number): LeaderTraffic => {
    let traffic = leaders.get(node);
    if (!traffic) {
      traffic = { records: 0, since: options.now(), batching: false, thin: true, waitedOut: false };
      leaders.set(node, traffic);
    }
    return traffic;
  };
  const minBytes = (node: number): number =>
    options.minBytes > 1 && trafficOf(node).batching ? options.minBytes : 1;
  return {
    /** What the next fetch from this leader waits for. */
    minBytes,
    /**
     * How long the next fetch from this leader may wait. A partition that frees up while a fetch to its
     * leader waits joins only the next one. Under load the records end the wait anyway. When the fetch
     * returns at the first record and no partition is out of one, nothing waits behind it: the wait is
     * long, and an idle consumer asks rarely. While a partition works on a batch it frees up any moment:
     * where the traffic is thin, the wait is short, so that the partition's next record is not held back
     * for the whole of it (where records come every few milliseconds, they end the wait soon anyway). Not
     * where the pacing is off (the retry tiers): their records are due minutes on.
     */
    maxWaitMs(node: number, outOfFetch: OutOfFetch): number {
      if (minBytes(node) > 1) return options.maxWaitMs;
      if (outOfFetch === 'none') return Math.max(options.maxWaitMs, idleWaitMs);
      if (outOfFetch === 'working' && options.minBytes > 1 && trafficOf(node).thin)
        return Math.min(options.maxWaitMs, workingWaitMs);
      return options.maxWaitMs;
    },
    /**
     * Whether the next fetch from this leader should wait for the partitions that took a batch from it a
     * moment ago. Where its fetches wait out the whole wait for the minimum, a partition that frees up just
     * after one went out would wait for it and then the whole of the next: up to two waits on every hop.
     * Not where the records fill a fetch at once (a backlog): there the fetch returns before they free up.
     */
    gathers(node: number): boolean {
      return minBytes(node) > 1 && trafficOf(node).waitedOut;
    },
    /**
     * Counts the records a fetch from this leader brought, and whether it returned only when its wait ran
     * out; judges the leader's traffic once a window has passed.
     */
    received(node: number, records: number, waitedOut = false) {
      const traffic = trafficOf(node);
      traffic.records += records;
      traffic.waitedOut = waitedOut;
      const elapsed = options.now() - traffic.since;
      if (elapsed < windowMs) return;
      const perWait = (traffic.records / elapsed) * options.maxWaitMs;
      traffic.thin = perWait < eagerBelow;
      if (traffic.batching && perWait < eagerBelow) traffic.batching = false;
      else if (!traffic.batching && perWait >= batchingFrom) traffic.batching = true;
      traffic.records = 0;
      traffic.since = options.now();
    },
  };
}

export type FetchPace = ReturnType<typeof fetchPace>;
