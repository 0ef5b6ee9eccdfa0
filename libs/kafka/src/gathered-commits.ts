export interface PartitionOffset {
  partition: number;
  offset: bigint;
}

export interface GatheredCommitsOptions {
  /** Commits the offsets given, one per partition, in one request. */
  send: (offsets: PartitionOffset[]) => Promise<void>;
  /**
   * The least time from one request's start to the next's (`KAFKA_COMMIT_INTERVAL_MS`); 0 sends as soon
   * as none is in flight.
   */
  intervalMs: number;
  onError: (error: unknown, partitions: number[]) => void;
}

/**
 * Offsets made durable, committed in requests a consumer's lanes share: the newest offset of each
 * partition, one request in flight, and a new one no sooner than the interval after the last began. The
 * lanes go on without waiting for them. Under load each partition's batches would each commit alone,
 * and an offset commit is a write to the group's log: more of the broker's requests than the fetches and
 * produces together (docs/performance.md). A crash re-delivers what the interval had not committed.
 */
export function gatheredCommits(options: GatheredCommitsOptions) {
  const waiting = new Map<number, { offset: bigint; stillOwned: () => boolean }>();
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let lastStart = Number.NEGATIVE_INFINITY;

  const sendWaiting = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const offsets = [...waiting]
      .filter(([, entry]) => entry.stillOwned())
      .map(([partition, { offset }]) => ({ partition, offset }));
    waiting.clear();
    if (offsets.length === 0) return Promise.resolve();
    lastStart = Date.now();
    const sent = options
      .send(offsets)
      .catch((error: unknown) =>
        options.onError(
          error,
          offsets.map(({ partition }) => partition),
        ),
      )
      .finally(() => {
        inFlight = undefined;
        schedule();
      });
    inFlight = sent;
    return sent;
  };

  const schedule = () => {
    if (timer || inFlight || waiting.size === 0) return;
    timer = setTimeout(sendWaiting, Math.max(0, lastStart + options.intervalMs - Date.now()));
  };

  return {
    /**
     * Commits a partition's offset with the next request, in place of any older one waiting; dropped
     * if, by then, `stillOwned` says the partition has gone to another member.
     */
    add(partition: number, offset: bigint, stillOwned: () => boolean) {
      waiting.set(partition, { offset, stillOwned });
      schedule();
    },
    /** Sends what waits now, without the interval, and resolves once every request is answered. */
    async flush() {
      while (inFlight || waiting.size > 0) await (inFlight ?? sendWaiting());
    },
  };
}
