import { deflateRawSync } from 'node:zlib';
import { AttemptLogRepository, createAttemptLogWriter, type MergeResult } from '@wms-webhooks/delivery';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attemptsOf,
  bucketsIn,
  day,
  hour,
  logBeforeAll,
  newestFirst,
  now,
  pageThrough,
  recentVersions,
  runRetentionOnce,
  type StoredChunk,
  writer,
} from '../support/log-writing';
import { dropQuietly, monitoredStore } from '../support/monitored-store';
import { sampleAttemptLog } from '../support/sample-values';

describe('when a webhook has logged far more attempts than its newest rows keep', () => {
  const store = monitoredStore('it_pages_deep');
  const sender = writer(store.database, 'sender');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  // 1,500 attempts over the last six hours, merged a hundred at a time as a sender would.
  const attempts = attemptsOf('wh-deep', 1_500);

  logBeforeAll(store, sender, attempts);

  it('pages through every attempt, newest first, each once, without reading the log', async () => {
    const mark = store.mark();
    expect(await pageThrough(logs, 'wh-deep')).toEqual(newestFirst(attempts));
    expect(bucketsIn(store.foundIn(mark))).toEqual([]);
  });

  it('pages through every failure from a chain of its own, without reading the log', async () => {
    const mark = store.mark();
    const failures = attempts.filter((attempt) => attempt.outcome === 'failed');
    expect(await pageThrough(logs, 'wh-deep', { outcome: 'failed', limit: 20 })).toEqual(
      newestFirst(failures),
    );
    expect(bucketsIn(store.foundIn(mark))).toEqual([]);
  });

  it('pages through the successes alone', async () => {
    const successes = attempts.filter((attempt) => attempt.outcome === 'succeeded');
    expect(await pageThrough(logs, 'wh-deep', { outcome: 'succeeded' })).toEqual(newestFirst(successes));
  });

  it('answers a recent delivery’s attempts of one outcome from the newest rows', async () => {
    const mark = store.mark();
    const failed = await logs.page('wh-deep', { limit: 10, deliveryId: 'd-1493', outcome: 'failed' });
    const succeeded = await logs.page('wh-deep', { limit: 10, deliveryId: 'd-1493', outcome: 'succeeded' });
    expect(failed.items.map((item) => item.deliveryId)).toEqual(['d-1493']);
    expect(succeeded.items).toEqual([]);
    expect(bucketsIn(store.foundIn(mark))).toEqual([]);
  });

  it('counts the pages in the log’s size', async () => {
    const collections = (await store.database.listCollections({}, { nameOnly: true }).toArray()).map(
      (collection) => collection.name,
    );
    const sizeOf = async (names: string[]) => {
      let bytes = 0;
      for (const name of names) {
        const stats = await store.database.command({ collStats: name });
        bytes += Number(stats.storageSize ?? stats.size ?? 0) + Number(stats.totalIndexSize ?? 0);
      }
      return bytes;
    };
    const pages = await sizeOf(collections.filter((name) => name.startsWith('webhook_pages.')));
    expect(pages).toBeGreaterThan(0);
    expect((await logs.stats()).bytes).toBe(pages + (await sizeOf(bucketsIn(collections))));
  });

  it('reads a page deep in the log with a read or two of its pages', async () => {
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      cursor = (await logs.page('wh-deep', { limit: 50, cursor })).nextCursor ?? undefined;
    }
    const mark = store.mark();
    const page = await logs.page('wh-deep', { limit: 50, cursor });
    expect(page.items.map((item) => item.deliveryId)).toEqual(newestFirst(attempts).slice(1_000, 1_050));
    const reads = store.foundIn(mark);
    expect(bucketsIn(reads)).toEqual([]);
    expect(reads.filter((name) => name.startsWith('webhook_pages.wh-deep.all.')).length).toBeLessThanOrEqual(
      2,
    );
    expect(reads.length).toBeLessThanOrEqual(3);
  });
});

describe('when attempts arrive between two pages', () => {
  const store = monitoredStore('it_pages_moving');
  const sender = writer(store.database, 'sender');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  const older = attemptsOf('wh-moving', 300, { end: now - 2 * hour });
  const newer = attemptsOf('wh-moving', 300, { offset: 300 });

  beforeAll(async () => {
    await store.client.connect();
    await sender.writeLogs(older);
    await sender.flush();
  });
  afterAll(async () => {
    await sender.stop();
    await dropQuietly(store.database, store.client);
  });

  it('goes on from where the last page ended, each attempt once, and none of the new ones', async () => {
    const first = await logs.page('wh-moving', { limit: 50 });
    // The rows the first page came from are cut into pages by what arrives next.
    await sender.writeLogs(newer);
    await sender.flush();
    const seen = first.items.map((item) => item.deliveryId);
    let cursor = first.nextCursor ?? undefined;
    while (cursor) {
      const page = await logs.page('wh-moving', { limit: 50, cursor });
      seen.push(...page.items.map((item) => item.deliveryId));
      cursor = page.nextCursor ?? undefined;
    }
    expect(seen).toEqual(newestFirst(older));
  });
});

describe('when two writers merge attempts of one webhook at once', () => {
  const store = monitoredStore('it_pages_writers');
  const sender = writer(store.database, 'sender');
  const retrier = writer(store.database, 'retrier-1m');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  const attempts = attemptsOf('wh-shared', 1_000);

  beforeAll(async () => {
    await store.client.connect();
    for (let next = 0; next < attempts.length; next += 200) {
      const round = attempts.slice(next, next + 200);
      await Promise.all([
        sender.writeLogs(round.filter((_, index) => index % 2 === 0)),
        retrier.writeLogs(round.filter((_, index) => index % 2 === 1)),
      ]);
      // Both take the next version at once; one wins and the other merges again on top of it.
      await Promise.all([sender.flush(), retrier.flush()]);
    }
  });
  afterAll(async () => {
    await Promise.all([sender.stop(), retrier.stop()]);
    await dropQuietly(store.database, store.client);
  });

  // A chunk is cut from what was merged so far: rows a writer merges after older ones were cut go into
  // the next chunk, so across that boundary the pages list them in the order they were merged.
  it('pages through every attempt of both, each once', async () => {
    const seen = await pageThrough(logs, 'wh-shared');
    expect(seen).toHaveLength(attempts.length);
    expect([...seen].sort()).toEqual(attempts.map((attempt) => attempt.deliveryId).sort());
  });
});

describe('when a writer merges a webhook it merged last', () => {
  const store = monitoredStore('it_pages_remembered');
  const sender = writer(store.database, 'sender');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  const attempts = attemptsOf('wh-remembered', 300);
  let readsOfNewestRows = 0;

  beforeAll(async () => {
    await store.client.connect();
    await sender.writeLogs(attempts.slice(0, 100));
    await sender.flush();
    const mark = store.mark();
    for (const next of [100, 200]) {
      await sender.writeLogs(attempts.slice(next, next + 100));
      await sender.flush();
    }
    readsOfNewestRows = store.foundIn(mark).filter((name) => name === 'webhook_recent.wh-remembered').length;
  });
  afterAll(async () => {
    await sender.stop();
    await dropQuietly(store.database, store.client);
  });

  it('builds on what it inserted, without reading the newest rows back', () => {
    expect(readsOfNewestRows).toBe(0);
  });

  it('pages through every attempt, newest first, each once', async () => {
    expect(await pageThrough(logs, 'wh-remembered')).toEqual(newestFirst(attempts));
  });
});

describe('when another writer merged a webhook since this one did', () => {
  const store = monitoredStore('it_pages_overtaken');
  const merges: MergeResult[] = [];
  const sender = writer(store.database, 'sender', { onMerge: (result) => merges.push(result) });
  const retrier = writer(store.database, 'retrier-1m');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  const attempts = attemptsOf('wh-overtaken', 300);
  let readsOfNewestRows = 0;

  beforeAll(async () => {
    await store.client.connect();
    await sender.writeLogs(attempts.slice(0, 100));
    await sender.flush();
    await retrier.writeLogs(attempts.slice(100, 200));
    await retrier.flush();
    const mark = store.mark();
    merges.length = 0;
    await sender.writeLogs(attempts.slice(200));
    await sender.flush();
    readsOfNewestRows = store.foundIn(mark).filter((name) => name === 'webhook_recent.wh-overtaken').length;
  });
  afterAll(async () => {
    await Promise.all([sender.stop(), retrier.stop()]);
    await dropQuietly(store.database, store.client);
  });

  it('finds its version number taken, reads the newest rows and merges on top of them', async () => {
    expect(merges).toEqual(['taken', 'inserted']);
    expect(readsOfNewestRows).toBe(1);
    expect(await pageThrough(logs, 'wh-overtaken')).toEqual(newestFirst(attempts));
  });
});

describe('when a merge cuts pages from both chains', () => {
  const store = monitoredStore('it_pages_cut');
  const sender = writer(store.database, 'sender');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  const attempts = attemptsOf('wh-cut', 1_400);
  let inserted: string[] = [];
  let deleted: string[] = [];

  beforeAll(async () => {
    await store.client.connect();
    await sender.writeLogs(attempts.slice(0, 100));
    await sender.flush();
    await sender.writeLogs(attempts.slice(100));
    const mark = store.mark();
    await sender.flush();
    const ofPages = (names: string[]) => names.filter((name) => name.startsWith('webhook_'));
    inserted = ofPages(store.collectionsOf(mark, 'insert'));
    deleted = ofPages(store.collectionsOf(mark, 'delete'));
  });
  afterAll(async () => {
    await sender.stop();
    await dropQuietly(store.database, store.client);
  });

  it('inserts its version and each chain’s pages once, and removes nothing', () => {
    expect(inserted.sort()).toEqual([
      'webhook_pages.wh-cut.all.0',
      'webhook_pages.wh-cut.failed.0',
      'webhook_recent.wh-cut',
    ]);
    expect(deleted).toEqual([]);
  });

  it('reads the pages that merge cut from its version, not from their chunks', async () => {
    const first = await logs.page('wh-cut', { limit: 50 });
    const mark = store.mark();
    const second = await logs.page('wh-cut', { limit: 50, cursor: first.nextCursor ?? undefined });
    const third = await logs.page('wh-cut', { limit: 50, cursor: second.nextCursor ?? undefined });
    expect([...second.items, ...third.items].map((item) => item.deliveryId)).toEqual(
      newestFirst(attempts).slice(50, 150),
    );
    expect(store.foundIn(mark).filter((name) => name.startsWith('webhook_pages.'))).toEqual([]);
  });

  it('pages through every attempt and every failure, each once', async () => {
    expect(await pageThrough(logs, 'wh-cut')).toEqual(newestFirst(attempts));
    expect(await pageThrough(logs, 'wh-cut', { outcome: 'failed' })).toEqual(
      newestFirst(attempts.filter((attempt) => attempt.outcome === 'failed')),
    );
  });
});

/** The store as a writer sees it when it stops right after inserting its version: its pages never arrive. */
function stoppingBeforePages(database: Db): Db {
  return new Proxy(database, {
    get(target, property) {
      if (property !== 'collection') return Reflect.get(target, property, target);
      return (name: string) => {
        const collection = target.collection(name);
        if (!name.startsWith('webhook_pages.')) return collection;
        return new Proxy(collection, {
          get(inner, method) {
            if (method === 'insertMany') return async () => Promise.reject(new Error('the writer stopped'));
            const value = Reflect.get(inner, method, inner);
            return typeof value === 'function' ? value.bind(inner) : value;
          },
        });
      };
    },
  });
}

describe('when a writer stops after a merge but before storing the pages it cut', () => {
  const store = monitoredStore('it_pages_crash');
  const first = writer(stoppingBeforePages(store.database), 'sender');
  const second = writer(store.database, 'retrier-1m');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  const attempts = attemptsOf('wh-crash', 250, { end: now - hour });
  const later = attemptsOf('wh-crash', 10, { offset: 250 });
  const chunksStored = () =>
    store.database
      .collection<{ _id: string }>('webhook_pages.wh-crash.all.0')
      .countDocuments({ _id: { $regex: /^\d+$/ } });

  beforeAll(async () => {
    await store.client.connect();
    await first.writeLogs(attempts);
    await expect(first.flush()).rejects.toThrow('pages of 1 webhooks not stored');
  });
  afterAll(async () => {
    await second.stop();
    await dropQuietly(store.database, store.client);
  });

  it('reads those pages from the version that cut them', async () => {
    expect(await chunksStored()).toBe(0);
    const mark = store.mark();
    expect(await pageThrough(logs, 'wh-crash')).toEqual(newestFirst(attempts));
    expect(bucketsIn(store.foundIn(mark))).toEqual([]);
  });

  it('has the next writer to merge store them first', async () => {
    await second.writeLogs(later);
    await second.flush();
    expect(await chunksStored()).toBe(3);
    expect(await store.database.collection('webhook_pages.wh-crash.all.0').countDocuments()).toBe(3);
    expect(await pageThrough(logs, 'wh-crash')).toEqual(newestFirst([...attempts, ...later]));
  });
});

describe('when the latest version staged its pages apart, as versions did before they carried them', () => {
  const store = monitoredStore('it_pages_staged');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  const sender = writer(store.database, 'sender');
  const attempts = attemptsOf('wh-staged', 300, { end: now - hour });
  const later = attemptsOf('wh-staged', 10, { offset: 300 });
  const pages = () => store.database.collection<{ _id: string }>('webhook_pages.wh-staged.all.0');

  beforeAll(async () => {
    await store.client.connect();
    const items = (await logs.insertMany(attempts)).map(({ item }) => item).reverse();
    // As that version merged them: 300 rows cut into three chunks of 64, oldest first, and 108 kept.
    const chunks = [0, 1, 2].map((no) => {
      const rows = items.slice(300 - 64 * (no + 1), 300 - 64 * no);
      return { kind: 'all', no, rows, newest: (rows[0] as (typeof items)[number]).startedAt.getTime() };
    });
    await pages().insertOne({
      _id: 'staged.1.before',
      chunks: deflateRawSync(JSON.stringify(chunks)).toString('base64'),
    } as { _id: string });
    await recentVersions(store.database, 'wh-staged').insertOne({
      _id: 1,
      updatedAt: new Date(now - hour),
      rows: JSON.stringify(items.slice(0, 108)),
      failures: JSON.stringify(items.filter((item) => item.outcome === 'failed')),
      chains: JSON.stringify({
        all: { pages: 3, newest: chunks[2]?.newest, complete: true },
        failed: { pages: 0, newest: 0, complete: true },
      }),
      staged: JSON.stringify({ id: 'staged.1.before', kind: 'all', no: 0 }),
    } as Parameters<ReturnType<typeof recentVersions>['insertOne']>[0]);
  });
  afterAll(async () => {
    await sender.stop();
    await dropQuietly(store.database, store.client);
  });

  it('reads those pages from the staging, without reading the log', async () => {
    const mark = store.mark();
    expect(await pageThrough(logs, 'wh-staged')).toEqual(newestFirst(attempts));
    expect(bucketsIn(store.foundIn(mark))).toEqual([]);
  });

  it('has the next writer to merge store them and remove the staging', async () => {
    await sender.writeLogs(later);
    await sender.flush();
    expect((await pages().find({}).toArray()).map((chunk) => chunk._id).sort()).toEqual([
      '000000000000',
      '000000000001',
      '000000000002',
    ]);
    const mark = store.mark();
    expect(await pageThrough(logs, 'wh-staged')).toEqual(newestFirst([...attempts, ...later]));
    expect(bucketsIn(store.foundIn(mark))).toEqual([]);
  });
});

describe('when the newest rows were merged before there were pages', () => {
  const store = monitoredStore('it_pages_legacy');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  const sender = writer(store.database, 'sender');
  const attempts = attemptsOf('wh-legacy', 300, { end: now - hour });
  const later = attemptsOf('wh-legacy', 150, { offset: 300 });

  beforeAll(async () => {
    await store.client.connect();
    const written = await logs.insertMany(attempts);
    const items = written.map(({ item }) => item).reverse();
    // As that version merged them: the newest 60 rows and failures, and nothing of what was cut.
    await recentVersions(store.database, 'wh-legacy').insertOne({
      _id: 1,
      updatedAt: new Date(now - hour),
      rows: JSON.stringify(items.slice(0, 60)),
      failures: JSON.stringify(items.filter((item) => item.outcome === 'failed').slice(0, 60)),
    });
  });
  afterAll(async () => {
    await sender.stop();
    await dropQuietly(store.database, store.client);
  });

  it('lists the rows it kept, then the log', async () => {
    expect(await pageThrough(logs, 'wh-legacy')).toEqual(newestFirst(attempts));
  });

  it('goes on to the log past the first pages cut after it', async () => {
    await sender.writeLogs(later);
    await sender.flush();
    expect(await pageThrough(logs, 'wh-legacy')).toEqual(newestFirst([...attempts, ...later]));
    expect(await pageThrough(logs, 'wh-legacy', { outcome: 'failed', limit: 7 })).toEqual(
      newestFirst([...attempts, ...later].filter((attempt) => attempt.outcome === 'failed')),
    );
  });
});

describe('when a chunk is lost from the middle of a chain', () => {
  const store = monitoredStore('it_pages_lost');
  const sender = writer(store.database, 'sender');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  const attempts = attemptsOf('wh-lost', 500);

  beforeAll(async () => {
    await store.client.connect();
    await sender.writeLogs(attempts);
    await sender.flush();
    await store.database
      .collection<StoredChunk>('webhook_pages.wh-lost.all.0')
      .deleteOne({ _id: '000000000002' });
  });
  afterAll(async () => {
    await sender.stop();
    await dropQuietly(store.database, store.client);
  });

  it('lists the rest from the log, not as if the chain ended there', async () => {
    expect(await pageThrough(logs, 'wh-lost')).toEqual(newestFirst(attempts));
  });
});

describe('when the oldest pages are past the retention', () => {
  const store = monitoredStore('it_pages_expired');
  // 600 attempts five minutes apart; the retention keeps the newest 344, so the oldest 256 fill chunks 0–3.
  const every = 300_000;
  const retentionMs = 344.5 * every;
  const sender = createAttemptLogWriter(store.database, {
    service: 'sender',
    retentionMs,
    mergeDelayMs: 1_000,
    timedWrite: (_operation, write) => write(),
    onFlushError: () => undefined,
    now: () => now,
  });
  const logs = new AttemptLogRepository(store.database, { retentionMs, now: () => now });
  const attempts = attemptsOf('wh-expiring', 600, { every });
  const live = attempts.filter((attempt) => attempt.startedAt.getTime() >= now - retentionMs);

  beforeAll(async () => {
    await store.client.connect();
    await sender.writeLogs(attempts);
    await sender.flush();
    await runRetentionOnce(store.database, logs);
  });
  afterAll(async () => {
    await sender.stop();
    await dropQuietly(store.database, store.client);
  });

  it('removes the chunks whose rows are all past it', async () => {
    const left = await store.database.collection('webhook_pages.wh-expiring.all.0').find({}).toArray();
    expect(left.map((document) => Number(document._id))).toEqual([4, 5, 6, 7]);
  });

  it('pages through what is left and stops there, without reading the log', async () => {
    expect(live).toHaveLength(344);
    const mark = store.mark();
    expect(await pageThrough(logs, 'wh-expiring')).toEqual(newestFirst(live));
    expect(bucketsIn(store.foundIn(mark))).toEqual([]);
  });
});

describe('retention of the pages', () => {
  const store = monitoredStore('it_pages_retention');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  const names = async () =>
    (await store.database.listCollections({}, { nameOnly: true }).toArray())
      .map((collection) => collection.name)
      .filter((name) => name.startsWith('webhook_pages.') || name.startsWith('webhook_recent.'))
      .sort();
  /** A chunk: its number, its rows (none here), and the newest start of any row up to it. */
  const chunk = (no: number, newest: number): StoredChunk => ({
    _id: String(no).padStart(12, '0'),
    rows: '',
    newest: new Date(newest),
  });

  beforeAll(async () => {
    await store.client.connect();
    // Three generations of a busy webhook's chain: the first ended 40 days ago; the second began then and
    // ended 28 days ago.
    const pages = (generation: number) =>
      store.database.collection<StoredChunk>(`webhook_pages.wh-busy.all.${generation}`);
    await pages(0).insertOne(chunk(0, now - 41 * day));
    await pages(1).insertMany([chunk(2_000, now - 40 * day), chunk(2_001, now - 29 * day)]);
    await pages(2).insertOne(chunk(4_000, now - 28 * day));
    await recentVersions(store.database, 'wh-busy').insertOne({
      _id: 9,
      updatedAt: new Date(now),
      rows: '[]',
      failures: '[]',
    });
    // A webhook no writer has merged into for 31 days.
    await store.database
      .collection<StoredChunk>('webhook_pages.wh-gone.failed.0')
      .insertOne(chunk(0, now - 31 * day));
    await recentVersions(store.database, 'wh-gone').insertOne({
      _id: 3,
      updatedAt: new Date(now - 31 * day),
      rows: '[]',
      failures: '[]',
    });
    // An attempt past the retention, so the run has a bucket to drop.
    await logs.insertMany([sampleAttemptLog({ webhookId: 'wh-busy', startedAt: new Date(now - 35 * day) })]);
  });
  afterAll(() => dropQuietly(store.database, store.client));

  it('drops what is past the retention, a generation at a time, and the pages of webhooks long silent', async () => {
    await runRetentionOnce(store.database, logs);
    expect(await names()).toEqual([
      'webhook_pages.wh-busy.all.1',
      'webhook_pages.wh-busy.all.2',
      'webhook_recent.wh-busy',
    ]);
    const kept = await store.database
      .collection<{ _id: string }>('webhook_pages.wh-busy.all.1')
      .find({})
      .toArray();
    // Beside its chunks, the generation left that a newer one follows now has its directory of deliveries.
    expect(kept.map((document) => document._id).filter((id) => !id.startsWith('directory.'))).toEqual([
      '000000002001',
    ]);
    expect(kept).toHaveLength(1 + 65);
  });
});
