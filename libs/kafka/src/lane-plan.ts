import type { ConsumedRecord } from './consumed-record';

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
  /** While busy: the offset after the batch it works on, from which its next batch is fetched ahead. */
  aheadFrom?: bigint;
  /** Its next batch, fetched while it works: in flight, or waiting for the lane to free up. */
  ahead?: 'fetching' | { from: bigint; records: ConsumedRecord[] };
}

/** What one fetch asks of a lane: its next batch (idle), or the one after the batch it works on (busy). */
export interface LaneFetch {
  lane: Lane;
  from: bigint;
  ahead: boolean;
}

/**
 * What the next fetch asks for: the idle lanes whose position is known, as many as the busy ones leave
 * room for, and with `fetchAhead` every busy lane whose next batch is neither fetched nor in a fetch.
 */
export function lanesToFetch(lanes: Iterable<Lane>, concurrency: number, fetchAhead = false): LaneFetch[] {
  const all = [...lanes];
  const capacity = concurrency - all.filter((lane) => lane.state === 'busy').length;
  const idle = all
    .filter((lane) => lane.state === 'idle' && lane.position !== undefined)
    .slice(0, Math.max(0, capacity))
    .map((lane) => ({ lane, from: lane.position as bigint, ahead: false }));
  if (!fetchAhead) return idle;
  const busy = all
    .filter((lane) => lane.state === 'busy' && lane.ahead === undefined && lane.aheadFrom !== undefined)
    .map((lane) => ({ lane, from: lane.aheadFrom as bigint, ahead: true }));
  return [...idle, ...busy];
}

/**
 * Takes the batch fetched while the lane worked, if it goes on from where the lane now stands; one that
 * does not (the lane held records back, or moved) is let go, and the lane fetches from its position.
 */
export function takeAhead(lane: Lane): ConsumedRecord[] | undefined {
  const ahead = lane.ahead;
  if (typeof ahead !== 'object') return undefined;
  lane.ahead = undefined;
  return ahead.from === lane.position ? ahead.records : undefined;
}

/**
 * Whether every lane is in a fetch (or its next batch is): then no records can arrive that the fetch in
 * flight would not bring, and one that returns at its first record may wait long.
 */
export function everyLaneInFetch(lanes: Iterable<Lane>): boolean {
  for (const lane of lanes) if (lane.state !== 'fetching' && lane.ahead !== 'fetching') return false;
  return true;
}

/**
 * What a plan fetches, grouped by each partition's leader, one fetch per leader. A lane without a
 * leader, or whose leader a fetch is already in flight to, waits for the next plan.
 */
export function byLeader(
  fetches: readonly LaneFetch[],
  leaderOf: (partition: number) => number | undefined,
  fetchingNodes: ReadonlySet<number>,
): Map<number, LaneFetch[]> {
  const byNode = new Map<number, LaneFetch[]>();
  for (const fetch of fetches) {
    const leader = leaderOf(fetch.lane.partition);
    if (leader === undefined || leader < 0 || fetchingNodes.has(leader)) continue;
    byNode.set(leader, [...(byNode.get(leader) ?? []), fetch]);
  }
  return byNode;
}

/** One commit per partition: the last offset queued for it, which is the furthest (commits keep order). */
export function latestPerPartition<O extends { topic: string; partition: number }>(offsets: O[]): O[] {
  const latest = new Map<string, O>();
  for (const offset of offsets) latest.set(`${offset.topic}\u0000${offset.partition}`, offset);
  return [...latest.values()];
}

/**
 * Per partition, the batches still finishing, in order: a batch commits only after the one before it
 * has, and only once its own work is durable. A batch that never becomes durable stops the ones after
 * it from committing (the next owner re-delivers them).
 */
export function orderedCommits(maxFinishingRecords: number) {
  const finishing = new Map<number, Array<{ chain: Promise<boolean>; records: number }>>();
  return {
    /**
     * Queues a batch of `records`: `durable` runs at once, and `commit` once it and every batch before
     * are done. Resolves once the lane may take another batch: while the batches still finishing, this
     * one included, hold fewer than `maxFinishingRecords` records, at once; else when enough of the
     * oldest have finished, and at the latest when all but this one have. So a store that is slow for a
     * moment does not hold a lane back, and one that stays slow does.
     */
    after(
      partition: number,
      records: number,
      durable: () => Promise<boolean>,
      commit: () => Promise<void>,
    ): Promise<void> {
      const queue = finishing.get(partition) ?? [];
      finishing.set(partition, queue);
      const previous = queue.at(-1)?.chain ?? Promise.resolve(true);
      // Each batch finishes as soon as it can, beside the ones before; only the commits take turns. A
      // finish that waited for the commit before it would let a busy partition's small batches fall behind.
      const finished = durable();
      const chain = previous.then(async (previousDone) => {
        const done = (await finished) && previousDone;
        if (done) await commit();
        return done;
      });
      const entry = { chain, records };
      queue.push(entry);
      void chain.finally(() => {
        queue.splice(queue.indexOf(entry), 1);
        if (queue.length === 0 && finishing.get(partition) === queue) finishing.delete(partition);
      });
      let oldestLeftFinishing = queue.length - 1;
      let held = records;
      while (oldestLeftFinishing > 0) {
        const before = queue[oldestLeftFinishing - 1] as (typeof queue)[number];
        if (held + before.records >= maxFinishingRecords) break;
        held += before.records;
        oldestLeftFinishing -= 1;
      }
      const waitFor = queue[oldestLeftFinishing - 1]?.chain;
      return waitFor ? waitFor.then(() => undefined) : Promise.resolve();
    },
    /** Every batch still finishing, for a stop to wait on. */
    pending: () => [...finishing.values()].flatMap((queue) => queue.map((entry) => entry.chain)),
  };
}
