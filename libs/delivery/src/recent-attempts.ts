import type { Collection, Db } from 'mongodb';
import type { LogItem } from './attempt-documents';
import {
  type ChainKind,
  type Chunk,
  chunkRows,
  dropPagesOf,
  insertChunks,
  type PackedChunk,
  packChunk,
  packJson,
  parseRows,
  readStaged,
  removeStaged,
  type StagedChunks,
  unpackRows,
} from './log-pages';
import {
  type KeptTexts,
  KeptTextsCache,
  newerFirst,
  newestTextFirst,
  type RowText,
  rowsJson,
  rowText,
} from './row-texts';
import { awaitedByOperator } from './settle-attempt';

/** Rows kept per webhook, of all attempts and of failures each, before the oldest are cut into pages. */
export const recentKept = 60;
/** A merge lost to another writer is retried on the newer version this many times before waiting for the next flush. */
const mergeTries = 5;
/** How many versions pile up before the older ones are deleted. */
const versionsBetweenCleanups = 8;
/**
 * Webhooks one merge at a time gets through in a flush, before another runs beside it. Merges share the
 * event loop that sends deliveries and the store that logs them: run together, their work lands back to
 * back and the log's writes queue behind their inserts. So a flush merges one webhook at a time, and more
 * at once only when one at a time would not finish before the next flush.
 */
const mergesPerWorker = 250;
/** The most merges a flush runs at once, however many webhooks are due. */
const mostMergesAtOnce = 8;

/** How many merges a flush of this many due webhooks runs at once. */
export function mergesAtOnce(due: number): number {
  return Math.max(1, Math.min(mostMergesAtOnce, Math.ceil(due / mergesPerWorker)));
}
/**
 * Rows a writer holds for one webhook while its merges fail. Each row is in the log already; past this,
 * the oldest are left out of the pages (and remain in the log's buckets) rather than filling memory.
 */
const heldPerWebhook = 50_000;

/** A chain's length, the newest start it holds, and whether it holds every attempt since the first. */
export interface ChainState {
  pages: number;
  newest: number;
  complete: boolean;
}

/**
 * One version of a webhook's newest attempts. Versions are numbered and only ever inserted: two writers
 * merging at once both try the next number, the store's unique `_id` lets one win, and the other merges
 * again on top of it. That keeps the rows exact on a store whose updates are not atomic (FerretDB reads,
 * changes and writes). At most eight versions are kept. Rows travel deflated in one string each, because
 * the document is only ever read whole, and a MongoDB-wire store like FerretDB converts a document field
 * by field, and JSON text in a string slowly (its quotes are escaped).
 *
 * Once a list holds a chunk more than it keeps, its oldest rows are cut into the next chunk of its chain
 * (log-pages.ts). A version carries the chunks it cut, packed as they are stored, and they are stored
 * after it is inserted: by its writer, or else by the next writer to merge, before it builds on it. Two
 * writers may cut the same chunk numbers from different rows; only the one whose version is inserted
 * stores them. So no chunk is numbered twice, and a reader finds each chunk stored, or in the latest version.
 */
interface RecentVersion {
  _id: number;
  updatedAt: Date;
  rows: string;
  failures: string;
  /** The chains after this version; absent on versions written before there were chains. */
  chains?: string;
  /** The chunks this version cut, packed as they are stored (JSON of `PackedChunk`s). */
  cut?: string;
  /** Where a version written before versions carried their cut chunks staged them (JSON). */
  staged?: string;
}

export interface RecentRows {
  rows: LogItem[];
  failures: LogItem[];
  chains: Record<ChainKind, ChainState>;
  /** The chunks the latest version cut, which may not be stored as chunks yet. */
  cut: PackedChunk[];
}

function recentCollection(db: Db, webhookId: string): Collection<RecentVersion> {
  return db.collection<RecentVersion>(`webhook_recent.${webhookId}`);
}

/** Newest first by (startedAt, id), as the log pages; the same attempt once. */
export function newestFirst(a: LogItem, b: LogItem): number {
  return newerFirst(a.startedAt.getTime(), a.id, b.startedAt.getTime(), b.id);
}

/** A chain that holds every attempt: one begun with the webhook's first merge. */
const newChain = (): ChainState => ({ pages: 0, newest: 0, complete: true });
/** The rows merged before there were chains were cut, not kept: older attempts are in the log alone. */
const chainBeforeChains = (): ChainState => ({ pages: 0, newest: 0, complete: false });

/** Merges the added rows into the kept ones, newest first, and cuts the oldest into chunks while too many. */
function advance(kind: ChainKind, kept: readonly RowText[], added: readonly RowText[], chain: ChainState) {
  const seen = new Set<string>();
  const rows = [...added, ...kept]
    .sort(newestTextFirst)
    .filter((row) => !seen.has(row.id) && seen.add(row.id));
  const cut: Chunk[] = [];
  let { pages, newest } = chain;
  while (rows.length >= recentKept + chunkRows) {
    const oldest = rows.splice(rows.length - chunkRows);
    newest = Math.max(newest, (oldest[0] as RowText).startedAt);
    cut.push({ kind, no: pages, rows: oldest, newest });
    pages += 1;
  }
  return { rows, chain: { ...chain, pages, newest }, cut };
}

async function latestVersion(collection: Collection<RecentVersion>): Promise<RecentVersion | undefined> {
  return (await collection.find({}).sort({ _id: -1 }).limit(1).next()) ?? undefined;
}

/** Rows as a version holds them: deflated, or as JSON text in versions from before the chains. */
const rowsOf = (text: string) => (text.startsWith('[') ? parseRows(text) : unpackRows(text));

async function readVersion(db: Db, webhookId: string, version: RecentVersion): Promise<RecentRows> {
  return {
    rows: rowsOf(version.rows),
    failures: rowsOf(version.failures),
    chains: version.chains
      ? (JSON.parse(version.chains) as Record<ChainKind, ChainState>)
      : { all: chainBeforeChains(), failed: chainBeforeChains() },
    cut: version.cut
      ? (JSON.parse(version.cut) as PackedChunk[])
      : version.staged
        ? await readStaged(db, webhookId, JSON.parse(version.staged) as StagedChunks)
        : [],
  };
}

/** Stores the chunks a version cut, if its writer may not have, and removes a staging from before versions carried them. */
async function storeCut(db: Db, webhookId: string, version: RecentVersion, cut: readonly PackedChunk[]) {
  if (cut.length > 0) await insertChunks(db, webhookId, cut);
  if (version.staged) await removeStaged(db, webhookId, JSON.parse(version.staged) as StagedChunks);
}

/**
 * What a writer last inserted for a webhook, its chunks stored: its next merge builds on it without
 * reading it back, and reads only if another writer inserted a version since (the number is taken).
 */
interface LastMerged {
  version: number;
  at: number;
  rows: string;
  failures: string;
  chains: Record<ChainKind, ChainState>;
}

/** Webhooks whose last merge a writer remembers; the least recently merged are forgotten past this. */
const lastMergedKept = 2_000;
/**
 * The text of the rows a writer last merged, kept for the webhooks it merged most recently: a merge then
 * packs them without inflating, parsing and stringifying them again. Past this, the least recent are
 * merged from their packed rows (docs/performance.md has what it holds).
 */
const keptTextBytes = 32 * 1024 * 1024;

/** A webhook's newest attempts and failures as the writers last merged them; undefined if none did. */
export async function readRecent(db: Db, webhookId: string): Promise<RecentRows | undefined> {
  const latest = await latestVersion(recentCollection(db, webhookId));
  return latest && readVersion(db, webhookId, latest);
}

/** What a writer logged for one webhook since its last merge: its rows, and its failures. */
interface Pending {
  rows: RowText[];
  failures: RowText[];
  /** When the oldest of them was held: the merge is due before they have waited the merge delay. */
  since: number;
  /** It holds a test delivery or a Resend, which an operator is waiting to see: merged at the next flush. */
  urgent: boolean;
}

export interface RecentAttemptsOptions {
  now: () => number;
  /** How long a webhook's rows may wait to be merged: each merge costs a read and an insert, however few rows it carries. */
  mergeDelayMs: number;
  /** How often the writer flushes what is due. */
  flushEveryMs: number;
  /**
   * How long attempts are kept. The retention drops a webhook's newest rows once no writer merged them
   * within it, so a merge remembered for less than half of it is still the newest there.
   */
  retentionMs: number;
  /** Each try of a merge: its version inserted, or its number taken by another writer (then merged again). */
  onMerge?: (result: MergeResult) => void;
}

export type MergeResult = 'inserted' | 'taken';

function keepHeld(held: RowText[], added: readonly RowText[]): RowText[] {
  for (const row of added) held.push(row);
  return held.length > 2 * heldPerWebhook ? held.sort(newestTextFirst).slice(0, heldPerWebhook) : held;
}

/**
 * The newest attempts of each webhook, merged by every writer into one small collection per webhook, so a
 * first Logs page reads a document, not the log; and the chains of pages past them. A writer holds only
 * what it logged of each webhook since it last merged that webhook, for up to the merge delay.
 */
export class RecentAttempts {
  private readonly pending = new Map<string, Pending>();
  /**
   * Oldest merge first: a webhook merged again moves to the end. A version found here had its cut chunks
   * stored by this writer, so a merge that reads it back skips them.
   */
  private readonly lastMerged = new Map<string, LastMerged>();
  private readonly keptTexts = new KeptTextsCache(keptTextBytes);

  constructor(
    private readonly db: Db,
    private readonly options: RecentAttemptsOptions,
  ) {}

  private now(): number {
    return this.options.now();
  }

  /**
   * Holds a webhook's rows and, apart from them, its failures, for the chain of failures. Each is turned
   * into text here, with its log's write, rather than all at once when the webhooks fall due together.
   */
  record(webhookId: string, items: readonly LogItem[]) {
    const rows = items.map(rowText);
    this.hold(webhookId, {
      rows,
      failures: rows.filter((_, index) => items[index]?.outcome === 'failed'),
      since: this.now(),
      urgent: items.some(awaitedByOperator),
    });
  }

  private hold(webhookId: string, added: Pending) {
    const pending = this.pending.get(webhookId);
    if (!pending) {
      this.pending.set(webhookId, added);
      return;
    }
    pending.rows = keepHeld(pending.rows, added.rows);
    pending.failures = keepHeld(pending.failures, added.failures);
    pending.since = Math.min(pending.since, added.since);
    pending.urgent ||= added.urgent;
  }

  /** Whether a webhook's rows would wait longer than the merge delay if left for the next flush. */
  private due(pending: Pending): boolean {
    const { mergeDelayMs, flushEveryMs } = this.options;
    return pending.urgent || this.now() - pending.since + flushEveryMs > mergeDelayMs;
  }

  /**
   * Merges what was logged since the last merge of each webhook: of every webhook, or with `dueOnly` of
   * those whose rows are due. The attempt-log writer never overlaps two.
   */
  async flush({ dueOnly = false }: { dueOnly?: boolean } = {}): Promise<void> {
    const batch = [...this.pending].filter(([, pending]) => !dueOnly || this.due(pending));
    for (const [webhookId] of batch) this.pending.delete(webhookId);
    const failed: Array<[string, Pending]> = [];
    let unstored = 0;
    let next = 0;
    const mergeInTurn = async () => {
      for (let taken = batch[next++]; taken; taken = batch[next++]) {
        const [webhookId, added] = taken;
        const merged = await this.merge(webhookId, added).catch(() => 'failed' as const);
        if (merged === 'failed') failed.push([webhookId, added]);
        if (merged === 'chunks-not-stored') unstored += 1;
      }
    };
    await Promise.all(Array.from({ length: mergesAtOnce(batch.length) }, mergeInTurn));
    for (const [webhookId, added] of failed) this.hold(webhookId, added);
    if (failed.length > 0)
      throw new Error(`newest attempts of ${failed.length} webhooks not merged; tried again`);
    if (unstored > 0) throw new Error(`pages of ${unstored} webhooks not stored; the next merge stores them`);
  }

  private remember(webhookId: string, last: LastMerged | undefined, texts?: KeptTexts) {
    this.lastMerged.delete(webhookId);
    this.keptTexts.set(webhookId, last && texts);
    if (!last) return;
    this.lastMerged.set(webhookId, last);
    if (this.lastMerged.size > lastMergedKept)
      this.lastMerged.delete(this.lastMerged.keys().next().value as string);
  }

  /** The webhook's newest version and the number of the next: as this writer last inserted it, or read. */
  private async latest(webhookId: string, collection: Collection<RecentVersion>, readAnew: boolean) {
    const last = readAnew ? undefined : this.lastMerged.get(webhookId);
    if (last && this.now() - last.at < this.options.retentionMs / 2) {
      const texts = this.keptTexts.get(webhookId) ?? {
        rows: unpackRows(last.rows).map(rowText),
        failures: unpackRows(last.failures).map(rowText),
      };
      return { version: last.version + 1, kept: { ...texts, chains: last.chains } };
    }
    const latest = await latestVersion(collection);
    const read = latest && (await readVersion(this.db, webhookId, latest));
    if (latest && read && this.lastMerged.get(webhookId)?.version !== latest._id)
      await storeCut(this.db, webhookId, latest, read.cut);
    const kept = read && {
      rows: read.rows.map(rowText),
      failures: read.failures.map(rowText),
      chains: read.chains,
    };
    return { version: (latest?._id ?? 0) + 1, kept };
  }

  private async merge(webhookId: string, added: Pending): Promise<'merged' | 'chunks-not-stored' | 'failed'> {
    const collection = recentCollection(this.db, webhookId);
    for (let tries = 0; tries < mergeTries; tries++) {
      const { version, kept } = await this.latest(webhookId, collection, tries > 0);
      const chains = kept?.chains ?? { all: newChain(), failed: newChain() };
      const all = advance('all', kept?.rows ?? [], added.rows, chains.all);
      const failures = advance('failed', kept?.failures ?? [], added.failures, chains.failed);
      const cut = [...all.cut, ...failures.cut].map(packChunk);
      const rows = packJson(rowsJson(all.rows));
      const failed = packJson(rowsJson(failures.rows));
      const after = { all: all.chain, failed: failures.chain };
      try {
        await collection.insertOne({
          _id: version,
          updatedAt: new Date(this.now()),
          rows,
          failures: failed,
          chains: JSON.stringify(after),
          ...(cut.length > 0 ? { cut: JSON.stringify(cut) } : {}),
        });
      } catch (error) {
        this.remember(webhookId, undefined);
        // Only a version refused for its number is certainly not stored; after any other error it may be,
        // and the next merge reads it and stores its chunks.
        if ((error as { code?: number }).code !== 11000) throw error;
        this.options.onMerge?.('taken');
        continue;
      }
      this.options.onMerge?.('inserted');
      // The rows are merged now: chunks not stored are stored by the next merge, so they must not be held again.
      const stored =
        cut.length === 0 ||
        (await insertChunks(this.db, webhookId, cut).then(
          () => true,
          () => false,
        ));
      const last = { version, at: this.now(), rows, failures: failed, chains: after };
      this.remember(webhookId, stored ? last : undefined, { rows: all.rows, failures: failures.rows });
      // Old versions go every few merges rather than every time, which saves a command per merge; the one
      // before stays for a reader that found it a moment ago.
      if (version % versionsBetweenCleanups === 0)
        await collection.deleteMany({ _id: { $lt: version - 1 } }).catch(() => undefined);
      return stored ? 'merged' : 'chunks-not-stored';
    }
    return 'failed';
  }
}

/** Drops the newest-attempt collections no writer has merged into within the retention, and their pages. */
export async function removeStaleRecent(db: Db, horizon: number): Promise<number> {
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  const stale = new Set<string>();
  for (const { name } of collections) {
    if (!name.startsWith('webhook_recent.')) continue;
    const latest = await latestVersion(db.collection<RecentVersion>(name));
    if (latest && latest.updatedAt.getTime() >= horizon) continue;
    await db.collection(name).drop();
    stale.add(name.slice('webhook_recent.'.length));
  }
  await dropPagesOf(db, stale);
  return stale.size;
}
