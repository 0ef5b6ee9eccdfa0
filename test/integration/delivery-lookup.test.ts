import { deflateRawSync } from 'node:zlib';
import { type AttemptLog, AttemptLogRepository, type LogItem } from '@wms-webhooks/delivery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attemptsOf,
  bucketsIn,
  day,
  logBeforeAll,
  now,
  recentVersions,
  runRetentionOnce,
  type StoredChunk,
  writer,
} from '../support/log-writing';
import { dropQuietly, monitoredStore } from '../support/monitored-store';
import { sampleAttemptLog } from '../support/sample-values';

/** Three attempts of one delivery among 1,200 of its webhook: the first among the oldest, the last among the newest. */
function retriedAmong(webhookId: string) {
  const attempts = attemptsOf(webhookId, 1_200);
  const retried = [100, 700, 1_190].map((index, tried) =>
    sampleAttemptLog({
      ...(attempts[index] as AttemptLog),
      deliveryId: 'd-retried',
      attempt: tried + 1,
      outcome: 'failed',
      statusCode: 503,
      errorKind: 'status',
      error: 'HTTP 503',
      final: tried === 2,
      ...(tried === 2
        ? {
            event: {
              occurredAt: new Date(now - day),
              warehouseId: 'AMS-1',
              entityId: 'ORD-1',
              payload: '{"orderId":"ORD-1"}',
            },
          }
        : {}),
    }),
  );
  [100, 700, 1_190].forEach((index, tried) => {
    attempts[index] = retried[tried] as AttemptLog;
  });
  return { attempts, retried };
}

describe('when the Logs are filtered by a delivery whose attempts were cut into pages', () => {
  const store = monitoredStore('it_lookup_pages');
  const sender = writer(store.database, 'sender');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  const { attempts, retried } = retriedAmong('wh-lookup');

  logBeforeAll(store, sender, attempts);

  it('lists its attempts, newest first, page by page, without reading the log', async () => {
    const mark = store.mark();
    const first = await logs.page('wh-lookup', { limit: 2, deliveryId: 'd-retried' });
    const second = await logs.page('wh-lookup', {
      limit: 2,
      deliveryId: 'd-retried',
      cursor: first.nextCursor ?? undefined,
    });
    expect([...first.items, ...second.items].map((item) => item.attempt)).toEqual([3, 2, 1]);
    expect(second.nextCursor).toBeNull();
    expect(bucketsIn(store.foundIn(mark))).toEqual([]);
    // The generation still written is read for its chunks' delivery hashes, and the chunks holding it by number.
    const pages = store
      .findsIn(mark)
      .filter(({ collection }) => collection === 'webhook_pages.wh-lookup.all.0');
    expect(
      pages.filter(({ filter }) => typeof filter._id !== 'string').map(({ projection }) => projection),
    ).toEqual([{ ids: 1 }, { ids: 1 }]);
    // Attempts 1 and 2 are rows 100 and 700 of the oldest first: chunks 1 and 10, once a page.
    const chunksRead = pages
      .map(({ filter }) => filter._id)
      .filter((id) => typeof id === 'string' && /^\d+$/.test(id));
    expect(chunksRead.sort()).toEqual(['000000000001', '000000000001', '000000000010', '000000000010']);
  });

  it('lists its attempts of one outcome', async () => {
    const failed = await logs.page('wh-lookup', { limit: 10, deliveryId: 'd-retried', outcome: 'failed' });
    const succeeded = await logs.page('wh-lookup', { limit: 10, deliveryId: 'd-100', outcome: 'succeeded' });
    expect(failed.items.map((item) => item.attempt)).toEqual([3, 2, 1]);
    expect(succeeded.items.map((item) => item.deliveryId)).toEqual([]);
    expect(
      (await logs.page('wh-lookup', { limit: 10, deliveryId: 'd-5', outcome: 'succeeded' })).items.map(
        (item) => item.deliveryId,
      ),
    ).toEqual(['d-5']);
  });

  it('gives a resend every attempt, the last with its event, reading the log only for that one', async () => {
    const mark = store.mark();
    const found = await logs.attemptsOf('wh-lookup', 'd-retried');
    expect(found.map((attempt) => attempt.attempt)).toEqual([1, 2, 3]);
    expect(found[2]).toEqual(retried[2]);
    const bucketReads = store.findsIn(mark).filter(({ collection }) => bucketsIn([collection]).length > 0);
    expect(bucketReads.map(({ filter }) => Object.keys(filter))).toEqual([['_id']]);
  });

  it('lists nothing for a delivery the webhook never sent, without reading the log', async () => {
    const mark = store.mark();
    expect((await logs.page('wh-lookup', { limit: 10, deliveryId: 'd-elsewhere' })).items).toEqual([]);
    expect(await logs.attemptsOf('wh-lookup', 'd-elsewhere')).toEqual([]);
    expect(bucketsIn(store.foundIn(mark))).toEqual([]);
  });
});

/** Rows as the chains store them (docs/delivery-logs.md): JSON, deflated, base64. */
const packed = (rows: readonly LogItem[]) => deflateRawSync(JSON.stringify(rows)).toString('base64');

/** A row's delivery hash as a chunk's `ids` holds it (docs/delivery-logs.md): FNV-1a, eight hex digits. */
function deliveryHash(deliveryId: string) {
  let hash = 0x811c9dc5;
  for (const char of deliveryId) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

describe('when a webhook’s chain of pages spans generations', () => {
  const store = monitoredStore('it_lookup_generations');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  // 508 attempts, all succeeded: the newest 60 rows, and seven chunks numbered 1996–2002, the first four
  // the end of generation 0 and the last three the start of generation 1. The retention removed 0–1995.
  // Chunks 1996 and 1997 carry their delivery hashes; the others were stored before there were any.
  const attempts = attemptsOf('wh-old', 508).map((attempt) => ({
    ...attempt,
    outcome: 'succeeded' as const,
    statusCode: 204,
    errorKind: null,
    error: null,
  }));
  const generation = (no: number) => store.database.collection<StoredChunk>(`webhook_pages.wh-old.all.${no}`);
  const wholeReadsOf = (
    finds: Array<{ collection: string; filter: Record<string, unknown> }>,
    name: string,
  ) => finds.filter(({ collection, filter }) => collection === name && typeof filter._id !== 'string');

  beforeAll(async () => {
    await store.client.connect();
    const items = (await logs.insertMany(attempts)).map(({ item }) => item).reverse();
    for (let chunk = 0; chunk < 7; chunk++) {
      const no = 2_002 - chunk;
      const rows = items.slice(60 + chunk * 64, 60 + (chunk + 1) * 64);
      await generation(Math.floor(no / 2_000)).insertOne({
        _id: String(no).padStart(12, '0'),
        rows: packed(rows),
        newest: (rows[0] as LogItem).startedAt,
        ...(no <= 1_997 ? { ids: rows.map((row) => deliveryHash(row.deliveryId)).join('') } : {}),
      });
    }
    await store.database
      .collection<{ _id: string; through: number }>('webhook_pages_removed')
      .insertOne({ _id: 'wh-old.all', through: 1_996 });
    await recentVersions(store.database, 'wh-old').insertOne({
      _id: 1,
      updatedAt: new Date(now),
      rows: packed(items.slice(0, 60)),
      failures: packed([]),
      ...{
        chains: JSON.stringify({
          all: { pages: 2_003, newest: (items[60] as LogItem).startedAt.getTime(), complete: true },
          failed: { pages: 0, newest: 0, complete: true },
        }),
      },
    });
  });
  afterAll(() => dropQuietly(store.database, store.client));

  // d-10 is in chunk 1996, the oldest; d-80 in 1997; d-150 in 1998; d-300 in chunk 2000, the first of
  // generation 1.
  it('finds a delivery in a generation not indexed yet by reading it whole', async () => {
    expect(
      (await logs.page('wh-old', { limit: 10, deliveryId: 'd-10' })).items.map((item) => item.deliveryId),
    ).toEqual(['d-10']);
    expect(
      (await logs.page('wh-old', { limit: 10, deliveryId: 'd-300' })).items.map((item) => item.deliveryId),
    ).toEqual(['d-300']);
  });

  it('leaves the indexing to the next run once a run’s time for it is spent', async () => {
    await runRetentionOnce(store.database, logs, { indexingBudgetMs: 0 });
    expect(await generation(0).countDocuments({ _id: { $regex: /^directory\./ } })).toBe(0);
  });

  it('indexes a closed generation once, then finds a delivery there by a lookup or two', async () => {
    await runRetentionOnce(store.database, logs);
    expect(await generation(0).countDocuments({ _id: { $regex: /^directory\./ } })).toBe(65);
    expect(await generation(1).countDocuments({ _id: { $regex: /^directory\./ } })).toBe(0);
    const mark = store.mark();
    for (const deliveryId of ['d-10', 'd-150']) {
      expect(
        (await logs.page('wh-old', { limit: 10, deliveryId })).items.map((item) => item.deliveryId),
      ).toEqual([deliveryId]);
    }
    const finds = store.findsIn(mark);
    expect(wholeReadsOf(finds, 'webhook_pages.wh-old.all.0')).toEqual([]);
    expect(bucketsIn(finds.map(({ collection }) => collection))).toEqual([]);
  });

  it('answers a delivery not in the log with a lookup in each indexed generation', async () => {
    const mark = store.mark();
    expect(await logs.attemptsOf('wh-old', 'd-elsewhere')).toEqual([]);
    const finds = store.findsIn(mark);
    expect(wholeReadsOf(finds, 'webhook_pages.wh-old.all.0')).toEqual([]);
    expect(finds.filter(({ collection }) => collection === 'webhook_pages.wh-old.all.0')).toHaveLength(1);
    expect(bucketsIn(finds.map(({ collection }) => collection))).toEqual([]);
  });

  it('reads the attempt a resend sends from the log, by its id', async () => {
    const found = await logs.attemptsOf('wh-old', 'd-10');
    expect(found).toEqual([attempts[10]]);
  });

  describe('when a chunk the directory names is lost', () => {
    it('finds the delivery in the log instead', async () => {
      await generation(0).deleteOne({ _id: '000000001997' });
      // d-80 was in chunk 1997.
      expect(
        (await logs.page('wh-old', { limit: 10, deliveryId: 'd-80' })).items.map((item) => item.deliveryId),
      ).toEqual(['d-80']);
      expect(await logs.attemptsOf('wh-old', 'd-80')).toEqual([attempts[80]]);
    });
  });
});
