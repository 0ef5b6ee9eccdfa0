import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { AttemptLog } from './attempt-documents';

/** How long a replay's outcomes are kept after the last one was counted: as long as a replay is listed. */
export const replayOutcomesKeptMs = 8 * 24 * 3_600_000;

/** What became of a replay's deliveries: succeeded, or failed with no further attempt to come. */
export interface ReplayOutcomes {
  succeeded: number;
  failed: number;
}

interface WriterReplays {
  /** Replay id → [succeeded, failed, when last counted]. */
  [replayId: string]: [number, number, number];
}

/**
 * A writer's document: the outcomes of every replay it settled deliveries of lately, replaced whole by
 * that writer alone, as the activity counts are (webhook-activity.ts), so the counts stay exact on a store
 * whose updates are not atomic.
 */
interface ReplayOutcomesDocument {
  _id: string;
  updatedAt: Date;
  replays: string;
}

const collectionName = 'webhook_replay_outcomes';

function outcomesCollection(db: Db): Collection<ReplayOutcomesDocument> {
  return db.collection<ReplayOutcomesDocument>(collectionName);
}

/**
 * Counts how the replayed deliveries a process settles end. A delivery counts once it ends: when it
 * succeeds, or fails with no retry to follow. After a crash between its log and its offset a delivery is
 * sent again and counts again, as the receiver saw it twice.
 */
export class ReplayOutcomeRecorder {
  private readonly writer: string;
  private readonly counts: WriterReplays = {};
  private dirty = false;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    options: { service: string; now?: () => number },
  ) {
    this.writer = `${options.service}-${randomUUID()}`;
    this.now = options.now ?? Date.now;
  }

  record(logs: readonly AttemptLog[]) {
    for (const log of logs) {
      if (!log.replayId || (log.outcome === 'failed' && !log.final)) continue;
      const slot = this.counts[log.replayId] ?? [0, 0, 0];
      slot[log.outcome === 'succeeded' ? 0 : 1] += 1;
      slot[2] = this.now();
      this.counts[log.replayId] = slot;
      this.dirty = true;
    }
  }

  /** Writes the counts if anything changed since the last write. The attempt-log writer never overlaps two. */
  async flush(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const oldest = this.now() - replayOutcomesKeptMs;
    for (const [replayId, [, , at]] of Object.entries(this.counts))
      if (at < oldest) delete this.counts[replayId];
    try {
      await outcomesCollection(this.db).replaceOne(
        { _id: this.writer },
        { updatedAt: new Date(this.now()), replays: JSON.stringify(this.counts) },
        { upsert: true },
      );
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }
}

/** Each replay's outcomes, summed over every writer's document; a replay none has counted has zeros. */
export async function readReplayOutcomes(
  db: Db,
  replayIds: readonly string[],
  now: number,
): Promise<Map<string, ReplayOutcomes>> {
  const outcomes = new Map(replayIds.map((id) => [id, { succeeded: 0, failed: 0 }]));
  const documents = await outcomesCollection(db)
    .find({ updatedAt: { $gte: new Date(now - replayOutcomesKeptMs) } })
    .toArray();
  for (const document of documents) {
    const counted = JSON.parse(document.replays) as WriterReplays;
    for (const [id, sum] of outcomes) {
      const slot = counted[id];
      if (!slot) continue;
      sum.succeeded += slot[0];
      sum.failed += slot[1];
    }
  }
  return outcomes;
}

/** Removes the documents of writers silent for longer than their counts are kept. */
export async function removeSilentReplayWriters(db: Db, now: number): Promise<number> {
  const result = await outcomesCollection(db).deleteMany({
    updatedAt: { $lt: new Date(now - replayOutcomesKeptMs) },
  });
  return result.deletedCount;
}
