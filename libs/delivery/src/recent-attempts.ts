import type { Collection, Db } from 'mongodb';
import type { LogItem } from './attempt-documents';

/** Rows kept per webhook, of all attempts and of failures each: a first page of up to 50 and whether more follow. */
export const recentKept = 60;
/** A merge lost to another writer is retried on the newer version this many times before waiting for the next flush. */
const mergeTries = 5;
/** How many versions pile up before the older ones are deleted. */
const versionsBetweenCleanups = 8;
/** Webhooks merged at once per flush: each is a read and an insert on the store. */
const mergeConcurrency = 8;

/**
 * One version of a webhook's newest attempts. Versions are numbered and only ever inserted: two writers
 * merging at once both try the next number, the store's unique `_id` lets one win, and the other merges
 * again on top of it. That keeps the rows exact on a store whose updates are not atomic (FerretDB reads,
 * changes and writes). At most eight versions are kept. Rows travel as JSON strings because the document is only ever read whole, and a
 * MongoDB-wire store like FerretDB converts a document field by field.
 */
interface RecentVersion {
  _id: number;
  updatedAt: Date;
  rows: string;
  failures: string;
}

export interface RecentRows {
  rows: LogItem[];
  failures: LogItem[];
}

function recentCollection(db: Db, webhookId: string): Collection<RecentVersion> {
  return db.collection<RecentVersion>(`webhook_recent.${webhookId}`);
}

const dateFields = ['dueAt', 'startedAt', 'nextAttemptAt'] as const;

function parseRows(text: string): LogItem[] {
  return (JSON.parse(text) as Array<Record<string, unknown>>).map((row) => {
    for (const field of dateFields) if (typeof row[field] === 'string') row[field] = new Date(row[field]);
    return row as unknown as LogItem;
  });
}

/** Newest first by (startedAt, id), as the log pages; the same attempt once. */
export function newestFirst(a: LogItem, b: LogItem): number {
  return b.startedAt.getTime() - a.startedAt.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);
}

function mergeNewest(kept: LogItem[], added: LogItem[]): LogItem[] {
  const seen = new Set<string>();
  return [...added, ...kept]
    .sort(newestFirst)
    .filter((row) => !seen.has(row.id) && seen.add(row.id))
    .slice(0, recentKept);
}

async function latestVersion(collection: Collection<RecentVersion>): Promise<RecentVersion | undefined> {
  return (await collection.find({}).sort({ _id: -1 }).limit(1).next()) ?? undefined;
}

/** A webhook's newest attempts and failures as the writers last merged them; undefined if none did. */
export async function readRecent(db: Db, webhookId: string): Promise<RecentRows | undefined> {
  const latest = await latestVersion(recentCollection(db, webhookId));
  return latest && { rows: parseRows(latest.rows), failures: parseRows(latest.failures) };
}

/**
 * The newest attempts of each webhook, merged by every writer into one small collection per webhook, so a
 * first Logs page reads a document, not the log. A writer holds only what it logged since its last flush.
 */
/** What a writer logged for one webhook since its last merge: its newest rows, and its newest failures. */
interface Pending {
  rows: LogItem[];
  failures: LogItem[];
}

/** Adds to what is held, sorting and cutting only once twice as many are held, so most calls only append. */
function keepNewest(held: LogItem[], added: readonly LogItem[]): LogItem[] {
  for (const item of added) held.push(item);
  return held.length > 2 * recentKept ? held.sort(newestFirst).slice(0, recentKept) : held;
}

export class RecentAttempts {
  private pending = new Map<string, Pending>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /**
   * Holds a webhook's newest rows and, apart from them, its newest failures: a burst of successes between
   * two merges must not push the failures it followed out of the failures list.
   */
  record(webhookId: string, items: readonly LogItem[]) {
    this.hold(
      webhookId,
      items,
      items.filter((item) => item.outcome === 'failed'),
    );
  }

  private hold(webhookId: string, rows: readonly LogItem[], failures: readonly LogItem[]) {
    const pending = this.pending.get(webhookId) ?? { rows: [], failures: [] };
    pending.rows = keepNewest(pending.rows, rows);
    pending.failures = keepNewest(pending.failures, failures);
    this.pending.set(webhookId, pending);
  }

  /** Merges what was logged since the last flush. The attempt-log writer never overlaps two. */
  async flush(): Promise<void> {
    const batch = [...this.pending];
    this.pending = new Map();
    const failed: Array<[string, Pending]> = [];
    for (let next = 0; next < batch.length; next += mergeConcurrency) {
      await Promise.all(
        batch.slice(next, next + mergeConcurrency).map(async ([webhookId, added]) => {
          if (!(await this.merge(webhookId, added).catch(() => false))) failed.push([webhookId, added]);
        }),
      );
    }
    for (const [webhookId, added] of failed) this.hold(webhookId, added.rows, added.failures);
    if (failed.length > 0)
      throw new Error(`newest attempts of ${failed.length} webhooks not merged; tried again`);
  }

  private async merge(webhookId: string, added: Pending): Promise<boolean> {
    const collection = recentCollection(this.db, webhookId);
    for (let tries = 0; tries < mergeTries; tries++) {
      const latest = await latestVersion(collection);
      const version = (latest?._id ?? 0) + 1;
      const kept = latest
        ? { rows: parseRows(latest.rows), failures: parseRows(latest.failures) }
        : undefined;
      try {
        await collection.insertOne({
          _id: version,
          updatedAt: new Date(this.now()),
          rows: JSON.stringify(mergeNewest(kept?.rows ?? [], added.rows)),
          failures: JSON.stringify(mergeNewest(kept?.failures ?? [], added.failures)),
        });
      } catch (error) {
        if ((error as { code?: number }).code === 11000) continue;
        throw error;
      }
      // Old versions go every few merges rather than every time, which saves a command per merge; the one
      // before stays for a reader that found it a moment ago.
      if (version % versionsBetweenCleanups === 0) await collection.deleteMany({ _id: { $lt: version - 1 } });
      return true;
    }
    return false;
  }
}

/** Drops the newest-attempt collections no writer has merged into within the retention. */
export async function removeStaleRecent(db: Db, horizon: number): Promise<number> {
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  let removed = 0;
  for (const { name } of collections) {
    if (!name.startsWith('webhook_recent.')) continue;
    const latest = await latestVersion(db.collection<RecentVersion>(name));
    if (latest && latest.updatedAt.getTime() >= horizon) continue;
    await db.collection(name).drop();
    removed += 1;
  }
  return removed;
}
