/**
 * A partition this member owns. `claim` tells one ownership from the next: work begun under an earlier
 * claim neither moves the position nor commits.
 */
export interface Lane {
  partition: number;
  claim: number;
  /** The next offset to fetch; undefined until the committed offset is known. */
  position?: bigint;
  state: 'idle' | 'fetching' | 'busy' | 'held';
  /** When the lane took the batch it is busy with. */
  busySince?: number;
}

/**
 * A lane busy longer than this waits on something slow (a receiver, up to its timeout), not about to free
 * up: its leader's next fetch is put off for it no longer.
 */
const freesUpWithinMs = 25;

/** The idle lanes that may be fetched now: placed, and as many as the busy ones leave room for. */
export function lanesToFetch(lanes: Iterable<Lane>, concurrency: number): Lane[] {
  const all = [...lanes];
  const capacity = concurrency - all.filter((lane) => lane.state === 'busy').length;
  const idle = all.filter((lane) => lane.state === 'idle' && lane.position !== undefined);
  return idle.slice(0, Math.max(0, capacity));
}

const freesUpSoon = (lane: Lane, now: number) =>
  lane.state === 'busy' && now - (lane.busySince ?? 0) < freesUpWithinMs;

/** Whether every lane is in a fetch: then none waits behind one that returns at its first record. */
export function everyLaneInFetch(lanes: Iterable<Lane>): boolean {
  for (const lane of lanes) if (lane.state !== 'fetching') return false;
  return true;
}

/**
 * The leaders with a lane that took a batch from them a moment ago, each with the time its last such lane
 * stops counting as about to free up: how long a fetch that waits for them may be put off.
 */
export function workingUntil(
  lanes: Iterable<Lane>,
  leaderOf: (partition: number) => number | undefined,
  now: number,
): Map<number, number> {
  const until = new Map<number, number>();
  for (const lane of lanes) {
    const leader = leaderOf(lane.partition);
    if (!freesUpSoon(lane, now) || leader === undefined) continue;
    until.set(leader, Math.max(until.get(leader) ?? 0, (lane.busySince ?? 0) + freesUpWithinMs));
  }
  return until;
}

/**
 * Lanes grouped by their partition's leader, one fetch per leader. A lane without a leader, or whose
 * leader a fetch is already in flight to, waits for the next plan.
 */
export function byLeader(
  lanes: readonly Lane[],
  leaderOf: (partition: number) => number | undefined,
  fetchingNodes: ReadonlySet<number>,
): Map<number, Lane[]> {
  const byNode = new Map<number, Lane[]>();
  for (const lane of lanes) {
    const leader = leaderOf(lane.partition);
    if (leader === undefined || leader < 0 || fetchingNodes.has(leader)) continue;
    byNode.set(leader, [...(byNode.get(leader) ?? []), lane]);
  }
  return byNode;
}

/**
 * Per partition, the batches still finishing, in order: a batch commits only after the one before it
 * has, and only once its own work is durable. A batch that never becomes durable stops the ones after
 * it from committing (the next owner re-delivers them).
 */
export function orderedCommits() {
  const finishing = new Map<number, Promise<boolean>>();
  return {
    /**
     * Queues a batch: `durable` runs after the previous batch is done, then `commit` if both were.
     * Returns the previous batch's step, which the lane waits for before it takes another batch.
     */
    after(partition: number, durable: () => Promise<boolean>, commit: () => Promise<void>): Promise<boolean> {
      const previous = finishing.get(partition) ?? Promise.resolve(true);
      const chain = previous.then(async (previousDone) => {
        const done = previousDone && (await durable());
        if (done) await commit();
        return done;
      });
      finishing.set(partition, chain);
      void chain.finally(() => {
        if (finishing.get(partition) === chain) finishing.delete(partition);
      });
      return previous;
    },
    /** Every batch still finishing, for a stop to wait on. */
    pending: () => [...finishing.values()],
  };
}
