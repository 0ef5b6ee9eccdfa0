import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { AttemptLog } from './attempt-documents';

export const hourMs = 3_600_000;
/** The list shows a day; a writer keeps one hour more, so the day is whole while the hour turns. */
export const hoursKept = 25;

export interface HourOfActivity {
  hour: Date;
  attempts: number;
  failures: number;
}

export interface WebhookActivity {
  lastOutcome: 'succeeded' | 'failed' | null;
  lastAttemptAt: Date | null;
  /** Over the last 24 hours. */
  recentAttempts: number;
  recentFailures: number;
  /** The last 24 hours, oldest first, the current hour last. */
  hourly: HourOfActivity[];
}

/** One webhook's activity as one writer saw it: its last attempt and its counts per hour. */
export interface WriterCounts {
  lastAt: number;
  lastOutcome: 'succeeded' | 'failed';
  /** Hour number (ms since the epoch / 1 h) → [attempts, failures]. */
  hours: Record<number, [number, number]>;
}

/**
 * A writer's document: every webhook it logged attempts for in the last 25 hours, replaced whole by that
 * writer alone. The counts travel as one JSON string because the document is only ever read whole, and a
 * MongoDB-wire store like FerretDB converts a document field by field.
 */
interface ActivityDocument {
  _id: string;
  updatedAt: Date;
  webhooks: string;
}

const collectionName = 'webhook_activity';

function activityCollection(db: Db): Collection<ActivityDocument> {
  return db.collection<ActivityDocument>(collectionName);
}

/**
 * Counts the attempts a process logs, per webhook and hour, and writes them as that process's own document,
 * so the webhook list reads a document per writer instead of the log. Only the writer changes its document,
 * which keeps the counts exact on a store whose updates are not atomic (FerretDB reads, changes and writes).
 */
export class ActivityRecorder {
  readonly writer: string;
  private readonly counts = new Map<string, WriterCounts>();
  private dirty = false;

  constructor(
    private readonly db: Db,
    options: { service: string; now?: () => number },
  ) {
    this.writer = `${options.service}-${randomUUID()}`;
    this.now = options.now ?? Date.now;
  }

  private readonly now: () => number;

  record(logs: readonly AttemptLog[]) {
    for (const log of logs) {
      const at = log.startedAt.getTime();
      let counts = this.counts.get(log.webhookId);
      if (!counts) {
        counts = { lastAt: at, lastOutcome: log.outcome, hours: {} };
        this.counts.set(log.webhookId, counts);
      } else if (at >= counts.lastAt) {
        counts.lastAt = at;
        counts.lastOutcome = log.outcome;
      }
      const hour = Math.floor(at / hourMs);
      const slot = counts.hours[hour] ?? [0, 0];
      slot[0] += 1;
      if (log.outcome === 'failed') slot[1] += 1;
      counts.hours[hour] = slot;
      this.dirty = true;
    }
  }

  /** Writes the counts if anything changed since the last write. The attempt-log writer never overlaps two. */
  async flush(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    this.forgetOld();
    const document: ActivityDocument = {
      _id: this.writer,
      updatedAt: new Date(this.now()),
      webhooks: JSON.stringify(Object.fromEntries(this.counts)),
    };
    try {
      await activityCollection(this.db).replaceOne({ _id: this.writer }, document, { upsert: true });
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  private forgetOld() {
    const oldestHour = Math.floor(this.now() / hourMs) - hoursKept + 1;
    for (const [webhookId, counts] of this.counts) {
      for (const hour of Object.keys(counts.hours)) {
        if (Number(hour) < oldestHour) delete counts.hours[Number(hour)];
      }
      if (Object.keys(counts.hours).length === 0) this.counts.delete(webhookId);
    }
  }
}

function emptyActivity(now: number): WebhookActivity {
  const currentHour = Math.floor(now / hourMs);
  return {
    lastOutcome: null,
    lastAttemptAt: null,
    recentAttempts: 0,
    recentFailures: 0,
    hourly: Array.from({ length: 24 }, (_, index) => ({
      hour: new Date((currentHour - 23 + index) * hourMs),
      attempts: 0,
      failures: 0,
    })),
  };
}

/** Every writer's counts that may still hold one of the last 25 hours, by webhook. */
export async function readWriterCounts(db: Db, now: number): Promise<Array<Record<string, WriterCounts>>> {
  const documents = await activityCollection(db)
    .find({ updatedAt: { $gte: new Date(now - hoursKept * hourMs) } })
    .toArray();
  return documents.map((document) => JSON.parse(document.webhooks) as Record<string, WriterCounts>);
}

/** The last outcome and the last 24 hours of each webhook, summed over every writer's document. */
export async function readActivity(
  db: Db,
  webhookIds: readonly string[],
  now: number,
): Promise<Map<string, WebhookActivity>> {
  const wanted = new Set(webhookIds);
  const result = new Map(webhookIds.map((id) => [id, emptyActivity(now)]));
  const firstHour = Math.floor(now / hourMs) - 23;
  for (const webhooks of await readWriterCounts(db, now)) {
    for (const [webhookId, counts] of Object.entries(webhooks)) {
      if (!wanted.has(webhookId)) continue;
      const activity = result.get(webhookId) as WebhookActivity;
      if (activity.lastAttemptAt === null || counts.lastAt > activity.lastAttemptAt.getTime()) {
        activity.lastAttemptAt = new Date(counts.lastAt);
        activity.lastOutcome = counts.lastOutcome;
      }
      for (const [hour, [attempts, failures]] of Object.entries(counts.hours)) {
        const slot = activity.hourly[Number(hour) - firstHour];
        if (!slot) continue;
        slot.attempts += attempts;
        slot.failures += failures;
        activity.recentAttempts += attempts;
        activity.recentFailures += failures;
      }
    }
  }
  return result;
}

/** Removes the documents of writers silent for longer than the counts they hold are shown. */
export async function removeSilentWriters(db: Db, now: number): Promise<number> {
  const result = await activityCollection(db).deleteMany({
    updatedAt: { $lt: new Date(now - hoursKept * hourMs) },
  });
  return result.deletedCount;
}
