/** How long the records fetched from a leader are counted before its traffic is judged again. */
const windowMs = 1_000;
/** Below this many records per wait, waiting saves too few requests to be worth its latency. */
const eagerBelow = 4;
/** From this many records per wait, fetches wait for the configured minimum again. */
const batchingFrom = 8;
/** How long a fetch that holds back no record may wait: what an idle consumer costs is a fetch this often. */
const idleWaitMs = 500;

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
     * How long the next fetch from this leader may wait. When it returns at the first record and every
     * partition of the consumer is in it, nothing waits behind it: the wait is long, and an idle consumer
     * asks rarely.
     */
    maxWaitMs(node: number, everyLaneInFetch: boolean): number {
      if (minBytes(node) === 1 && everyLaneInFetch) return Math.max(options.maxWaitMs, idleWaitMs);
      return options.maxWaitMs;
    },
    /**
     * Whether the next fetch from this leader should be put off while a partition that took a batch from
     * it a moment ago works. A partition that frees up just after a fetch went out joins only the next
     * one, after the one in flight: that is a whole wait on every hop where the fetches wait out their
     * wait for the minimum (under load), and where the traffic is too thin to end a fetch soon. Not where
     * records end the fetches soon anyway (a backlog fills them at once; between the two thresholds records
     * come every few milliseconds), nor where the pacing is off (the retry tiers: their records are due
     * minutes on).
     */
    gathers(node: number): boolean {
      if (options.minBytes <= 1) return false;
      const traffic = trafficOf(node);
      return minBytes(node) > 1 ? traffic.waitedOut : traffic.thin;
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
