import { redactCredentials } from '@wms-webhooks/config';
import { type Collection, type Db, type Filter, ObjectId } from 'mongodb';
import {
  type AttemptDetail,
  type AttemptLog,
  decodeCursor,
  fromStored,
  InvalidCursorError,
  type LogCursor,
  type LogItem,
  type LogPage,
  pageOf,
  type StoredAttempt,
  toItem,
} from './attempt-documents';
import { attemptsIn, documentsOfWrite, isPack, type LogDocument } from './attempt-packs';
import { type MeasuredSize, measuredBytes } from './collection-bytes';
import { deliveryFromChains } from './delivery-from-chains';
import { bucketEnd, bucketFor, bucketSpanFor, type LogBucket, listBuckets } from './log-buckets';
import { packIdOf } from './log-document-ids';
import { pageFromChains } from './log-page-reader';
import { measurePages } from './log-pages';
import { newestFirst, readRecent } from './recent-attempts';

/** An attempt as its row lists it, with what every attempt of its delivery shares. */
function attemptFromRow({ id: _, resendable: __, ...row }: LogItem, of: AttemptLog): AttemptLog {
  return { ...row, webhookId: of.webhookId, goodsOwnerId: of.goodsOwnerId, url: null };
}

/** The documents that may hold an attempt of the delivery: its own, or a pack that lists it. */
const ofDelivery = (deliveryId: string): Filter<LogDocument> => ({
  $or: [{ deliveryId }, { deliveryIds: deliveryId }],
});

/** Longer than any attempt runs (connect, send and the response timeout), with room to spare. */
const maxAttemptMs = 5 * 60_000;

export interface LogStats {
  bytes: number;
  buckets: number;
  /** The start of the oldest bucket: no attempt kept is older. */
  oldestAt: Date | null;
  measuredAt: number;
}

/**
 * The attempts in a collection per time bucket (see log-buckets.ts): retention drops whole buckets, so
 * removing a day costs the same at any size, and a read walks the newest buckets first and stops once its
 * page is full. A failure is a document of its own; a webhook's successes of one write share one
 * (attempt-packs.ts).
 */
export class AttemptLogRepository {
  readonly retentionMs: number;
  readonly spanMs: number;
  private indexed: boolean | undefined;
  private readonly prepared = new Map<string, Promise<void>>();
  private readonly bucketSizes = new Map<string, MeasuredSize>();
  private readonly pageSizes = new Map<string, MeasuredSize>();

  constructor(
    private readonly db: Db,
    options: { retentionMs: number; now?: () => number },
  ) {
    this.retentionMs = options.retentionMs;
    this.spanMs = bucketSpanFor(options.retentionMs);
    this.now = options.now ?? Date.now;
  }

  private readonly now: () => number;

  collectionOf(bucket: LogBucket): Collection<LogDocument> {
    return this.db.collection<LogDocument>(bucket.name);
  }

  /**
   * Whether the store reads through the log's indexes. FerretDB 1.x does not: it filters on nothing but
   * `_id` in SQL and scans for the rest, as its explain says (`filterPushdown: false`). There the indexes
   * would cost 45% of every attempt's write and speed up no read, so each bucket is made without them.
   * MongoDB's explain has no such field, and every bucket gets them as it is first written.
   */
  async ensureIndexes(): Promise<boolean> {
    if (this.indexed === undefined) {
      const plan = await this.db.collection('delivery_attempts.probe').find({ deliveryId: '' }).explain();
      this.indexed = plan.filterPushdown !== false;
    }
    return this.indexed;
  }

  private prepare(bucket: LogBucket): Promise<void> {
    let ready = this.prepared.get(bucket.name);
    if (!ready) {
      ready = (async () => {
        if (!(await this.ensureIndexes())) return;
        const collection = this.collectionOf(bucket);
        await collection.createIndex({ webhookId: 1, startedAt: -1, _id: -1 });
        await collection.createIndex({ webhookId: 1, deliveryId: 1, attempt: 1 });
        await collection.createIndex({ webhookId: 1, deliveryIds: 1 });
      })();
      ready.catch(() => this.prepared.delete(bucket.name));
      this.prepared.set(bucket.name, ready);
      // Only the current buckets are written to; older entries would only hold memory.
      if (this.prepared.size > 8) this.prepared.delete(this.prepared.keys().next().value as string);
    }
    return ready;
  }

  /** Writes the logs and returns each as the Logs view lists it, with the id it was stored under. */
  async insertMany(logs: readonly AttemptLog[]): Promise<Array<{ webhookId: string; item: LogItem }>> {
    const { documents, attempts } = documentsOfWrite(logs, this.spanMs);
    await this.insertStored(documents);
    return attempts.map((attempt, index) => ({
      webhookId: (logs[index] as AttemptLog).webhookId,
      item: toItem(attempt),
    }));
  }

  /**
   * Writes documents of the log into the buckets their start times name. With `skipDuplicates`, a
   * document already there under its id is passed over (an import run again).
   */
  async insertStored(documents: readonly LogDocument[], options: { skipDuplicates?: boolean } = {}) {
    const byBucket = new Map<string, { bucket: LogBucket; documents: LogDocument[] }>();
    for (const document of documents) {
      const bucket = bucketFor(document.startedAt.getTime(), this.spanMs);
      const group = byBucket.get(bucket.name) ?? { bucket, documents: [] };
      group.documents.push(document);
      byBucket.set(bucket.name, group);
    }
    await Promise.all(
      [...byBucket.values()].map(async ({ bucket, documents: inBucket }) => {
        await this.prepare(bucket);
        await this.collectionOf(bucket)
          .insertMany(inBucket, { ordered: false })
          .catch((error: { code?: number; writeErrors?: Array<{ code?: number }> }) => {
            const duplicatesOnly = (error.writeErrors ?? [error]).every((failure) => failure.code === 11000);
            if (!options.skipDuplicates || !duplicatesOnly) throw error;
          });
      }),
    );
  }

  /** Attempts that started before this are past the retention. */
  horizon(): number {
    return this.now() - this.retentionMs;
  }

  /** The buckets still within the retention, newest first. */
  private async liveBuckets(): Promise<LogBucket[]> {
    const horizon = this.horizon();
    return (await listBuckets(this.db)).filter((bucket) => bucketEnd(bucket) > horizon);
  }

  /** The collection of each bucket within the retention, newest first: for tools that read the log whole. */
  async liveCollections(): Promise<Array<Collection<LogDocument>>> {
    return (await this.liveBuckets()).map((bucket) => this.collectionOf(bucket));
  }

  /**
   * Every attempt of one delivery, oldest first: the newest with all it keeps (the event a resend sends),
   * the ones before as the Logs list them. The webhook's newest rows and chain of pages find them
   * (delivery-from-chains.ts); the log's buckets when they cannot, each bucket whole.
   */
  async attemptsOf(webhookId: string, deliveryId: string): Promise<AttemptLog[]> {
    const rows = await this.deliveryRows(webhookId, deliveryId);
    if (rows?.length === 0) return [];
    const newest = rows?.[0] && (await this.findListed(rows[0]));
    if (!rows || !newest) return this.searchBuckets(webhookId, deliveryId);
    const attempt = fromStored(newest);
    return [
      ...rows
        .slice(1)
        .reverse()
        .map((row) => attemptFromRow(row, attempt)),
      attempt,
    ];
  }

  private async deliveryRows(webhookId: string, deliveryId: string): Promise<LogItem[] | undefined> {
    const recent = await readRecent(this.db, webhookId);
    return recent && deliveryFromChains(this.db, webhookId, deliveryId, recent, this.horizon());
  }

  /** Every attempt of one delivery, oldest first, searched for in the log's buckets, newest first. */
  private async searchBuckets(webhookId: string, deliveryId: string): Promise<AttemptLog[]> {
    const found: StoredAttempt[] = [];
    for (const bucket of await this.liveBuckets()) {
      const documents = await this.collectionOf(bucket)
        .find({ webhookId, ...ofDelivery(deliveryId) })
        .toArray();
      found.push(...documents.flatMap(attemptsIn).filter((attempt) => attempt.deliveryId === deliveryId));
      // Attempts are numbered from 1 and logged in order: once the first is found, the older buckets hold none.
      if (found.some((attempt) => attempt.attempt === 1)) break;
    }
    return found
      .sort(
        (a, b) =>
          a.startedAt.getTime() - b.startedAt.getTime() ||
          a._id.toHexString().localeCompare(b._id.toHexString()),
      )
      .map(fromStored);
  }

  /**
   * The webhook's final failures that started within a window and keep their event (so may be sent again),
   * oldest first: what a replay of failures sends. It reads the window's buckets one at a time.
   */
  async *finalFailures(webhookId: string, from: Date, to: Date): AsyncGenerator<AttemptLog> {
    const inWindow = (await this.liveBuckets())
      .filter((bucket) => bucketEnd(bucket) > from.getTime() && bucket.start <= to.getTime())
      .reverse();
    for (const bucket of inWindow) {
      const found = this.collectionOf(bucket)
        .find({
          webhookId,
          outcome: 'failed',
          final: true,
          test: { $ne: true },
          event: { $exists: true },
          startedAt: { $gte: from, $lte: to },
        })
        .sort({ startedAt: 1, _id: 1 });
      for await (const document of found)
        for (const attempt of attemptsIn(document)) yield fromStored(attempt);
    }
  }

  /**
   * The attempts a resend of one delivery must know, oldest first. Given the id of the attempt the operator
   * saw, that attempt (read where its id's time puts it) and any later attempt of the delivery among the
   * webhook's newest; otherwise every attempt of the delivery the log keeps, which reads it bucket by bucket.
   */
  async attemptsForResend(webhookId: string, deliveryId: string, attemptId?: string): Promise<AttemptLog[]> {
    if (attemptId === undefined) return this.attemptsOf(webhookId, deliveryId);
    const found = await this.findById(attemptId);
    // Logged long after it ran (the store was unreachable meanwhile): searched for like any delivery.
    if (!found) return ObjectId.isValid(attemptId) ? this.attemptsOf(webhookId, deliveryId) : [];
    const attempt = fromStored(found);
    if (attempt.webhookId !== webhookId || attempt.deliveryId !== deliveryId) return [];
    const recent = await readRecent(this.db, webhookId);
    const later = (recent?.rows ?? [])
      .filter((row) => row.deliveryId === deliveryId && row.attempt > attempt.attempt)
      .map((row) => attemptFromRow(row, attempt))
      .sort((a, b) => a.attempt - b.attempt);
    return [attempt, ...later];
  }

  /** One attempt of the webhook with all it keeps (the request and answer of a failure), or undefined. */
  async attemptDetail(webhookId: string, attemptId: string): Promise<AttemptDetail | undefined> {
    const found = await this.findById(attemptId);
    if (!found || found.webhookId !== webhookId) return undefined;
    const { url, exchange } = fromStored(found);
    return {
      ...toItem(found),
      url: url === null ? null : redactCredentials(url),
      exchange: exchange ?? null,
    };
  }

  /** A listed attempt, read in the bucket its start names. */
  private findListed(row: LogItem): Promise<StoredAttempt | undefined> {
    return this.findIn(bucketFor(row.startedAt.getTime(), this.spanMs), new ObjectId(row.id));
  }

  /**
   * An attempt in one bucket by its id: in the pack its id names, or as a document of its own (a failure,
   * or any attempt logged before packs, whose id may name a pack that does not exist).
   */
  private async findIn(bucket: LogBucket, id: ObjectId): Promise<StoredAttempt | undefined> {
    const collection = this.collectionOf(bucket);
    const packId = packIdOf(id);
    if (packId) {
      const pack = await collection.findOne({ _id: packId });
      const found = pack && attemptsIn(pack).find((attempt) => attempt._id.equals(id));
      if (found) return found;
    }
    const document = await collection.findOne({ _id: id });
    return document && !isPack(document) ? document : undefined;
  }

  /**
   * An attempt by its id, read where the id's time puts it: an attempt is logged once it ends, so it
   * started in the bucket of its id's time or, if it ran across a bucket's start, in the one before.
   */
  private async findById(attemptId: string): Promise<StoredAttempt | undefined> {
    if (!ObjectId.isValid(attemptId)) return undefined;
    const id = new ObjectId(attemptId);
    const written = id.getTimestamp().getTime();
    const candidates = new Map(
      [bucketFor(written, this.spanMs), bucketFor(written - maxAttemptMs, this.spanMs)].map((bucket) => [
        bucket.name,
        bucket,
      ]),
    );
    for (const bucket of candidates.values()) {
      const found = await this.findIn(bucket, id);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * A Logs page, newest first. The webhook's newest rows and chains of pages answer it (log-page-reader.ts),
   * and a page of one delivery (delivery-from-chains.ts); the log's buckets answer what they cannot, newest
   * bucket first, stopping once the page is full.
   */
  async page(
    webhookId: string,
    options: { outcome?: 'succeeded' | 'failed'; deliveryId?: string; limit: number; cursor?: string },
  ): Promise<LogPage> {
    let after: LogCursor | undefined;
    if (options.cursor) {
      after = decodeCursor(options.cursor);
      if (!after) throw new InvalidCursorError('cursor is not one this API returned');
    }
    const cursorRow = after && ({ startedAt: after.startedAt, id: after.id.toHexString() } as LogItem);
    const wanted = (row: LogItem) =>
      (options.outcome === undefined || row.outcome === options.outcome) &&
      (options.deliveryId === undefined || row.deliveryId === options.deliveryId) &&
      (!cursorRow || newestFirst(cursorRow, row) < 0);
    if (options.deliveryId) {
      const rows = await this.deliveryRows(webhookId, options.deliveryId);
      if (rows) return pageOf(rows.filter(wanted), options.limit);
    } else {
      const recent = await readRecent(this.db, webhookId);
      const answered =
        recent &&
        (await pageFromChains(
          this.db,
          webhookId,
          recent,
          { outcome: options.outcome, limit: options.limit, horizon: this.horizon() },
          after,
        ));
      if (answered) return answered;
    }
    const filters: Filter<LogDocument>[] = [{ webhookId }];
    if (options.outcome) filters.push({ outcome: options.outcome });
    if (options.deliveryId) filters.push(ofDelivery(options.deliveryId));
    if (after) {
      filters.push({
        $or: [
          { startedAt: { $lt: after.startedAt } },
          { startedAt: after.startedAt, _id: { $lt: after.id } },
          { firstStartedAt: { $lte: after.startedAt } },
        ],
      });
    }
    const items: LogItem[] = [];
    for (const bucket of await this.liveBuckets()) {
      if (after && bucket.start > after.startedAt.getTime()) continue;
      const documents = this.collectionOf(bucket).find({ $and: filters }).sort({ startedAt: -1, _id: -1 });
      for await (const document of documents) {
        items.push(...attemptsIn(document).map(toItem).filter(wanted));
        // No attempt of a document started after its startedAt (a pack's is its newest attempt's), and
        // the documents still to come have none later than this one's: what started after it is all here.
        if (
          items.length > options.limit &&
          items.filter((item) => item.startedAt > document.startedAt).length > options.limit
        )
          break;
      }
      if (items.length > options.limit) break;
    }
    return pageOf(items.sort(newestFirst), options.limit);
  }

  /** Drops every bucket that ended before the retention, a whole bucket at a time, whatever it holds. */
  async removeExpired(): Promise<LogBucket[]> {
    const horizon = this.horizon();
    const expired = (await listBuckets(this.db)).filter((bucket) => bucketEnd(bucket) <= horizon);
    for (const bucket of expired) await this.collectionOf(bucket).drop();
    return expired;
  }

  async stats(): Promise<LogStats> {
    const buckets = await this.liveBuckets();
    // One at a time: FerretDB on SQLite refreshes its statistics for each, and concurrent refreshes of
    // one database fail with SQLITE_BUSY (seen with 49 buckets at once). A bucket closes an attempt's
    // longest run after it ends; from then on its size is the one measured.
    let bytes = 0;
    for (const bucket of buckets) {
      const closed = bucketEnd(bucket) + maxAttemptMs < this.now();
      bytes += await measuredBytes(this.db, bucket.name, this.bucketSizes, this.now(), closed);
    }
    for (const name of this.bucketSizes.keys()) {
      if (!buckets.some((bucket) => bucket.name === name)) this.bucketSizes.delete(name);
    }
    bytes += await measurePages(this.db, this.pageSizes, this.now());
    const oldest = buckets[buckets.length - 1];
    return {
      bytes,
      buckets: buckets.length,
      oldestAt: oldest ? new Date(oldest.start) : null,
      measuredAt: this.now(),
    };
  }
}
