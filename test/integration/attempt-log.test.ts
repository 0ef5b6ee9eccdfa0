import {
  ActivityRecorder,
  type AttemptLog,
  AttemptLogRepository,
  createAttemptLogWriter,
  hasLegacyLog,
  importLegacyLog,
  keepLogRetention,
  readActivity,
  removeSilentWriters,
} from '@wms-webhooks/delivery';
import { ObjectId } from 'mongodb';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropQuietly, monitoredStore } from '../support/monitored-store';
import { sampleAttemptLog } from '../support/sample-values';
import { waitFor } from '../support/wait-for';

const hour = 3_600_000;
const day = 24 * hour;
const startedAt = new Date(Date.UTC(2026, 10, 23, 9));

const firstTrySuccess = sampleAttemptLog({ deliveryId: 'd-ok', eventId: 'e-1', startedAt });

const retriedFailure: AttemptLog = {
  ...firstTrySuccess,
  deliveryId: 'd-failed',
  attempt: 2,
  dueAt: new Date(startedAt.getTime() - 60_000),
  startedAt: new Date(startedAt.getTime() + 1_000),
  outcome: 'failed',
  statusCode: null,
  errorKind: 'timeout',
  error: 'no response within the timeout (10000 ms)',
  test: true,
  final: false,
  nextAttemptAt: new Date(startedAt.getTime() + 300_000),
};

/** An attempt as the Logs view lists it. */
function listed({ webhookId, goodsOwnerId, url, event, ...log }: AttemptLog) {
  return { ...log, resendable: false };
}

function clock(start: number) {
  let now = start;
  return {
    now: () => now,
    set: (time: number) => {
      now = time;
    },
  };
}

describe('the attempt log on the store', () => {
  const store = monitoredStore('it_attempts');
  const logs = new AttemptLogRepository(store.database, {
    retentionMs: 30 * day,
    now: () => startedAt.getTime() + hour,
  });

  beforeAll(async () => {
    await store.client.connect();
    await logs.insertMany([firstTrySuccess, retriedFailure]);
  });

  afterAll(() => dropQuietly(store.database, store.client));

  describe('when an attempt succeeded', () => {
    it('stores it in its webhook’s pack, as text without its empty fields', async () => {
      const [bucket] = await store.database.listCollections({}, { nameOnly: true }).toArray();
      const pack = await store.database
        .collection(bucket?.name ?? '')
        .findOne({ deliveryIds: 'd-ok' }, { projection: { _id: 0 } });
      expect(Object.keys(pack ?? {}).sort()).toEqual(
        ['attempts', 'deliveryIds', 'firstStartedAt', 'outcome', 'startedAt', 'webhookId'].sort(),
      );
      const [entry] = JSON.parse(String(pack?.attempts)) as Array<Record<string, unknown>>;
      expect(Object.keys(entry ?? {}).sort()).toEqual(
        [
          'attempt',
          'deliveryId',
          'durationMs',
          'eventId',
          'eventType',
          'final',
          'goodsOwnerId',
          'startedAt',
          'statusCode',
          'url',
        ].sort(),
      );
    });

    it('reads it back whole, the empty fields as null and test as false', async () => {
      expect(await logs.attemptsOf('wh-1', 'd-ok')).toEqual([firstTrySuccess]);
    });
  });

  describe('when an attempt has every field set', () => {
    it('reads it back as written', async () => {
      expect(await logs.attemptsOf('wh-1', 'd-failed')).toEqual([retriedFailure]);
    });

    it('stores it as a document of its own', async () => {
      const [bucket] = await store.database.listCollections({}, { nameOnly: true }).toArray();
      const stored = await store.database.collection(bucket?.name ?? '').findOne({ deliveryId: 'd-failed' });
      expect(stored).toMatchObject({ outcome: 'failed', errorKind: 'timeout', attempt: 2 });
    });
  });

  it('pages both, newest first, each with its id', async () => {
    const page = await logs.page('wh-1', { limit: 10 });
    expect(page.items.map(({ id, ...item }) => item)).toEqual([
      listed(retriedFailure),
      listed(firstTrySuccess),
    ]);
    expect(page.items.every((item) => /^[0-9a-f]{24}$/.test(item.id))).toBe(true);
    expect(page.nextCursor).toBeNull();
  });

  it('filters a page by outcome', async () => {
    const page = await logs.page('wh-1', { limit: 10, outcome: 'failed' });
    expect(page.items.map((item) => item.deliveryId)).toEqual(['d-failed']);
  });
});

describe('when the log spans several hours', () => {
  const store = monitoredStore('it_attempt_buckets');
  const now = Date.UTC(2026, 10, 23, 12, 30);
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  // Three attempts an hour for the last five hours, oldest first; the delivery `d-long` retried over three.
  const attempts = Array.from({ length: 15 }, (_, index) =>
    sampleAttemptLog({
      webhookId: 'wh-busy',
      deliveryId: index % 5 === 1 ? 'd-long' : `d-${index}`,
      attempt: index % 5 === 1 ? Math.floor(index / 5) + 1 : 1,
      startedAt: new Date(now - 5 * hour + index * 20 * 60_000),
      outcome: index % 2 === 0 ? 'succeeded' : 'failed',
    }),
  );

  beforeAll(async () => {
    await store.client.connect();
    await logs.insertMany(attempts);
  });
  afterAll(() => dropQuietly(store.database, store.client));

  it('reads a page from the newest hours only, once they fill it', async () => {
    const mark = store.mark();
    const page = await logs.page('wh-busy', { limit: 4 });
    expect(page.items.map((item) => item.startedAt)).toEqual(
      attempts
        .slice(-4)
        .reverse()
        .map((attempt) => attempt.startedAt),
    );
    // No writer merged newest attempts here, so the log answers. Five attempts answer a page of four and
    // whether more follow: this hour's one, 11:00's three, 10:00's first; 09:00 and 08:00 are not read.
    const hourBucket = (hours: number) => `delivery_attempts.60m.${Date.UTC(2026, 10, 23, hours)}`;
    expect(store.foundIn(mark)).toEqual([
      'webhook_recent.wh-busy',
      hourBucket(12),
      hourBucket(11),
      hourBucket(10),
    ]);
  });

  it('pages through every hour with the cursor, newest first, each attempt once', async () => {
    const seen: Date[] = [];
    let cursor: string | undefined;
    do {
      const page = await logs.page('wh-busy', { limit: 4, cursor });
      seen.push(...page.items.map((item) => item.startedAt));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(attempts.map((attempt) => attempt.startedAt).reverse());
  });

  it('finds every attempt of a delivery retried over several hours, oldest first', async () => {
    const found = await logs.attemptsOf('wh-busy', 'd-long');
    expect(found.map((attempt) => attempt.attempt)).toEqual([1, 2, 3]);
  });
});

describe('when one write logs a webhook’s successes among its failures', () => {
  const store = monitoredStore('it_attempt_packs');
  // An attempt is read by its id where the id's time puts it: these start in the hour they are written.
  const hourStart = Math.floor(Date.now() / hour) * hour;
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day });
  // Fifteen attempts a second apart, oldest first; every third failed.
  const attempts = Array.from({ length: 15 }, (_, index) =>
    sampleAttemptLog({
      webhookId: 'wh-mixed',
      deliveryId: `d-${index}`,
      startedAt: new Date(hourStart + index * 1_000),
      ...(index % 3 === 0
        ? { outcome: 'failed' as const, statusCode: 503, errorKind: 'status' as const, error: '503' }
        : {}),
    }),
  );
  const bucket = () => store.database.collection(`delivery_attempts.60m.${hourStart}`);

  beforeAll(async () => {
    await store.client.connect();
    await logs.insertMany(attempts);
  });
  afterAll(() => dropQuietly(store.database, store.client));

  it('stores the successes as one document and each failure as its own', async () => {
    expect(await bucket().countDocuments({ outcome: 'failed' })).toBe(5);
    expect(await bucket().countDocuments({ outcome: 'succeeded' })).toBe(1);
  });

  it('pages through them from the log with the cursor, newest first, each attempt once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await logs.page('wh-mixed', { limit: 4, cursor });
      seen.push(...page.items.map((item) => item.deliveryId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(attempts.map((attempt) => attempt.deliveryId).reverse());
  });

  it('pages through the successes alone', async () => {
    const first = await logs.page('wh-mixed', { limit: 6, outcome: 'succeeded' });
    const rest = await logs.page('wh-mixed', {
      limit: 6,
      outcome: 'succeeded',
      cursor: first.nextCursor ?? undefined,
    });
    expect([...first.items, ...rest.items].map((item) => item.deliveryId)).toEqual(
      attempts
        .filter((attempt) => attempt.outcome === 'succeeded')
        .map((attempt) => attempt.deliveryId)
        .reverse(),
    );
    expect(rest.nextCursor).toBeNull();
  });

  it('answers a page of one delivery whose attempt is in the pack', async () => {
    const page = await logs.page('wh-mixed', { limit: 10, deliveryId: 'd-7' });
    expect(page.items.map((item) => [item.deliveryId, item.outcome])).toEqual([['d-7', 'succeeded']]);
  });

  it('opens a packed attempt by its id, and no other webhook’s', async () => {
    const [listed] = (await logs.page('wh-mixed', { limit: 1, deliveryId: 'd-8' })).items;
    const detail = await logs.attemptDetail('wh-mixed', listed?.id ?? '');
    expect(detail).toMatchObject({ id: listed?.id, deliveryId: 'd-8', outcome: 'succeeded', exchange: null });
    expect(await logs.attemptDetail('wh-other', listed?.id ?? '')).toBeUndefined();
  });

  it('finds a packed attempt for a resend by the id the operator saw', async () => {
    const [listed] = (await logs.page('wh-mixed', { limit: 1, deliveryId: 'd-10' })).items;
    const found = await logs.attemptsForResend('wh-mixed', 'd-10', listed?.id);
    expect(found).toEqual([attempts[10]]);
  });
});

describe('retention', () => {
  const store = monitoredStore('it_attempt_retention');
  const time = clock(Date.UTC(2026, 10, 23, 12, 0));
  // Ten minutes of retention: buckets of one minute.
  const logs = new AttemptLogRepository(store.database, { retentionMs: 10 * 60_000, now: time.now });

  beforeAll(() => store.client.connect());
  afterAll(() => dropQuietly(store.database, store.client));

  describe('when attempts are older than the retention', () => {
    it('drops their buckets whole, and keeps the newer ones', async () => {
      const at = (minutesAgo: number) => new Date(time.now() - minutesAgo * 60_000);
      await logs.insertMany([
        sampleAttemptLog({ webhookId: 'wh-r', deliveryId: 'd-old', startedAt: at(15) }),
        sampleAttemptLog({ webhookId: 'wh-r', deliveryId: 'd-edge', startedAt: at(11) }),
        sampleAttemptLog({ webhookId: 'wh-r', deliveryId: 'd-new', startedAt: at(2) }),
      ]);
      const removed = await logs.removeExpired();
      expect(removed).toHaveLength(2);
      const page = await logs.page('wh-r', { limit: 10 });
      expect(page.items.map((item) => item.deliveryId)).toEqual(['d-new']);
      expect(await logs.attemptsOf('wh-r', 'd-old')).toEqual([]);
      const stats = await logs.stats();
      expect(stats.buckets).toBe(1);
      expect(stats.bytes).toBeGreaterThan(0);
      expect(stats.oldestAt?.getTime()).toBe(Math.floor(at(2).getTime() / 60_000) * 60_000);
    });
  });

  describe('when the log holds many buckets', () => {
    it('measures them all', async () => {
      const many = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: time.now });
      await many.insertMany(
        Array.from({ length: 48 }, (_, index) =>
          sampleAttemptLog({ webhookId: 'wh-many', startedAt: new Date(time.now() - index * hour) }),
        ),
      );
      const stats = await many.stats();
      expect(stats.buckets).toBeGreaterThanOrEqual(48);
      expect(stats.bytes).toBeGreaterThan(0);
      // Closed buckets keep their size: measured again, only those still open (or closed less than an
      // attempt's longest run ago) are asked, not the 48.
      const mark = store.mark();
      expect((await many.stats()).bytes).toBe(stats.bytes);
      expect(store.commandsSince(mark, 'collStats')).toBeLessThan(5);
      await Promise.all((await many.liveCollections()).map((bucket) => bucket.drop()));
    });
  });

  describe('when the bucket still written was measured less than ten minutes ago', () => {
    it('takes its size from that measurement, and asks the store again ten minutes on', async () => {
      // FerretDB reads a collection whole to answer collStats: an hour's bucket each minute cost seconds.
      const open = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: time.now });
      await open.insertMany([sampleAttemptLog({ webhookId: 'wh-open', startedAt: new Date(time.now()) })]);
      const first = await open.stats();
      time.set(time.now() + 9 * 60_000);
      const soon = store.mark();
      expect((await open.stats()).bytes).toBe(first.bytes);
      expect(store.commandsSince(soon, 'collStats')).toBe(0);
      time.set(time.now() + 60_000);
      const later = store.mark();
      await open.stats();
      expect(store.commandsSince(later, 'collStats')).toBeGreaterThan(0);
      await Promise.all((await open.liveCollections()).map((bucket) => bucket.drop()));
    });
  });

  describe('when time passes the newest bucket too', () => {
    it('leaves no attempt and no bucket behind', async () => {
      time.set(time.now() + 30 * 60_000);
      await logs.removeExpired();
      expect(await logs.stats()).toMatchObject({ buckets: 0, bytes: 0, oldestAt: null });
      const names = (await store.database.listCollections({}, { nameOnly: true }).toArray()).map(
        (collection) => collection.name,
      );
      expect(names.filter((name) => name.startsWith('delivery_attempts.'))).toEqual([]);
    });
  });
});

describe('the api’s retention run', () => {
  const store = monitoredStore('it_retention_run');
  const now = Date.UTC(2026, 10, 23, 12, 0);
  const logs = new AttemptLogRepository(store.database, { retentionMs: 10 * 60_000, now: () => now });
  const registry = new Registry();
  const removed: string[] = [];
  let run: ReturnType<typeof keepLogRetention> | undefined;

  beforeAll(async () => {
    await store.client.connect();
    await logs.insertMany([
      sampleAttemptLog({ webhookId: 'wh-k', deliveryId: 'd-old', startedAt: new Date(now - 15 * 60_000) }),
      sampleAttemptLog({ webhookId: 'wh-k', deliveryId: 'd-new', startedAt: new Date(now - 2 * 60_000) }),
    ]);
  });
  afterAll(async () => {
    await run?.stop();
    await dropQuietly(store.database, store.client);
  });

  it('drops what is past the retention at once and reports what is left on /metrics', async () => {
    run = keepLogRetention(store.database, logs, {
      registry,
      intervalMs: 60_000,
      now: () => now,
      onError: (error) => {
        throw error;
      },
      onRemoved: (buckets) => removed.push(...buckets),
    });
    const latest = await waitFor(() => run?.latest(), { message: 'the first measurement' });
    expect(removed).toEqual([`delivery_attempts.1m.${now - 15 * 60_000}`]);
    const metrics = await registry.metrics();
    expect(metrics).toContain('wms_webhooks_attempt_log_buckets_removed_total 1');
    expect(metrics).toContain('wms_webhooks_attempt_log_buckets 1');
    expect(metrics).toContain(
      `wms_webhooks_attempt_log_oldest_timestamp_seconds ${(now - 2 * 60_000) / 1000}`,
    );
    expect(metrics).toContain('wms_webhooks_attempt_log_retention_seconds 600');
    expect(metrics).toContain(`wms_webhooks_attempt_log_bytes ${latest.bytes}`);
    expect(latest.bytes).toBeGreaterThan(0);
  });
});

describe('webhook activity for the list', () => {
  const store = monitoredStore('it_activity');
  const now = Date.UTC(2026, 10, 23, 12, 30);
  const hourAgo = (hours: number, minutes = 0) => new Date(now - hours * hour - minutes * 60_000);

  beforeAll(() => store.client.connect());
  afterAll(() => dropQuietly(store.database, store.client));

  describe('when two writers log attempts of one webhook', () => {
    it('sums their counts per hour and takes the latest outcome, without reading the log', async () => {
      const sender = new ActivityRecorder(store.database, { service: 'sender', now: () => now });
      const retrier = new ActivityRecorder(store.database, { service: 'retrier-1m', now: () => now });
      sender.record([
        sampleAttemptLog({ webhookId: 'wh-a', startedAt: hourAgo(2, 10) }),
        sampleAttemptLog({ webhookId: 'wh-a', startedAt: hourAgo(0, 20), outcome: 'failed' }),
        sampleAttemptLog({ webhookId: 'wh-a', startedAt: hourAgo(30) }),
        sampleAttemptLog({ webhookId: 'wh-other', startedAt: hourAgo(0, 5) }),
      ]);
      retrier.record([sampleAttemptLog({ webhookId: 'wh-a', startedAt: hourAgo(0, 1) })]);
      await Promise.all([sender.flush(), retrier.flush()]);

      const mark = store.mark();
      const activity = (await readActivity(store.database, ['wh-a', 'wh-quiet'], now)).get('wh-a');
      expect(store.foundIn(mark)).toEqual(['webhook_activity']);
      expect(activity).toMatchObject({
        lastOutcome: 'succeeded',
        lastAttemptAt: hourAgo(0, 1),
        recentAttempts: 3,
        recentFailures: 1,
      });
      expect(activity?.hourly).toHaveLength(24);
      expect(activity?.hourly.at(-1)).toEqual({
        hour: new Date(Date.UTC(2026, 10, 23, 12)),
        attempts: 2,
        failures: 1,
      });
      expect(activity?.hourly.at(-3)).toEqual({
        hour: new Date(Date.UTC(2026, 10, 23, 10)),
        attempts: 1,
        failures: 0,
      });
    });

    it('answers a webhook no writer has seen with no outcome and empty hours', async () => {
      const activity = (await readActivity(store.database, ['wh-quiet'], now)).get('wh-quiet');
      expect(activity).toMatchObject({ lastOutcome: null, lastAttemptAt: null, recentAttempts: 0 });
      expect(activity?.hourly.every((slot) => slot.attempts === 0)).toBe(true);
    });
  });

  describe('when a writer has been silent for over a day', () => {
    it('removes its document', async () => {
      const gone = new ActivityRecorder(store.database, {
        service: 'retrier-2h',
        now: () => now - 26 * hour,
      });
      gone.record([sampleAttemptLog({ webhookId: 'wh-b', startedAt: new Date(now - 26 * hour) })]);
      await gone.flush();
      expect(await removeSilentWriters(store.database, now)).toBe(1);
      expect(
        await store.database.collection('webhook_activity').countDocuments({ _id: gone.writer as never }),
      ).toBe(0);
    });
  });
});

describe('a first Logs page', () => {
  const store = monitoredStore('it_recent');
  const now = Date.UTC(2026, 10, 23, 12, 30);
  const writerOptions = (service: string) => ({
    service,
    retentionMs: 30 * day,
    mergeDelayMs: 1_000,
    timedWrite: <T>(_operation: string, write: () => Promise<T>) => write(),
    onFlushError: () => undefined,
    now: () => now,
  });
  const sender = createAttemptLogWriter(store.database, writerOptions('sender'));
  const retrier = createAttemptLogWriter(store.database, writerOptions('retrier-1m'));
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  // 70 attempts by the sender and 30 by a retrier, a second apart; every fifth one failed.
  const attempts = Array.from({ length: 100 }, (_, index) =>
    sampleAttemptLog({
      webhookId: 'wh-recent',
      startedAt: new Date(now - 100_000 + index * 1_000),
      outcome: index % 5 === 0 ? 'failed' : 'succeeded',
    }),
  );

  beforeAll(async () => {
    await store.client.connect();
    await Promise.all([sender.writeLogs(attempts.slice(0, 70)), retrier.writeLogs(attempts.slice(70))]);
    // Both merge at once: one wins the next version, the other merges again on top of it.
    await Promise.all([sender.flush(), retrier.flush()]);
  });
  afterAll(async () => {
    await Promise.all([sender.stop(), retrier.stop()]);
    await dropQuietly(store.database, store.client);
  });

  it('is read from the newest attempts the writers merged, not from the log', async () => {
    const mark = store.mark();
    const page = await logs.page('wh-recent', { limit: 50 });
    expect(store.foundIn(mark)).toEqual(['webhook_recent.wh-recent']);
    expect(page.items.map((item) => item.startedAt)).toEqual(
      attempts
        .slice(-50)
        .reverse()
        .map((attempt) => attempt.startedAt),
    );
    expect(page.nextCursor).not.toBeNull();
  });

  it('continues from the log where the first page ended, each attempt once', async () => {
    const first = await logs.page('wh-recent', { limit: 50 });
    const next = await logs.page('wh-recent', { limit: 50, cursor: first.nextCursor ?? undefined });
    expect([...first.items, ...next.items].map((item) => item.startedAt)).toEqual(
      attempts.map((attempt) => attempt.startedAt).reverse(),
    );
    expect(next.nextCursor).toBeNull();
  });

  it('answers the next page from them too while they hold it', async () => {
    const first = await logs.page('wh-recent', { limit: 20 });
    const mark = store.mark();
    const next = await logs.page('wh-recent', { limit: 20, cursor: first.nextCursor ?? undefined });
    expect(store.foundIn(mark)).toEqual(['webhook_recent.wh-recent']);
    expect(next.items.map((item) => item.startedAt)).toEqual(
      attempts
        .slice(-40, -20)
        .reverse()
        .map((attempt) => attempt.startedAt),
    );
  });

  it('answers a page of failures from the merged failures', async () => {
    const mark = store.mark();
    const page = await logs.page('wh-recent', { limit: 10, outcome: 'failed' });
    expect(store.foundIn(mark)).toEqual(['webhook_recent.wh-recent']);
    expect(page.items.map((item) => item.startedAt)).toEqual(
      attempts
        .filter((attempt) => attempt.outcome === 'failed')
        .slice(-10)
        .reverse()
        .map((attempt) => attempt.startedAt),
    );
  });

  it('answers the attempts of a recent delivery from them', async () => {
    const delivery = attempts[95]?.deliveryId as string;
    const mark = store.mark();
    const page = await logs.page('wh-recent', { limit: 10, deliveryId: delivery });
    expect(store.foundIn(mark)).toEqual(['webhook_recent.wh-recent']);
    expect(page.items.map((item) => item.deliveryId)).toEqual([delivery]);
  });

  it('reads the log for a delivery older than them', async () => {
    const delivery = attempts[5]?.deliveryId as string;
    const page = await logs.page('wh-recent', { limit: 10, deliveryId: delivery });
    expect(page.items.map((item) => item.deliveryId)).toEqual([delivery]);
  });

  describe('when the merged attempts do not fill the page but the log holds more', () => {
    it('reads the log', async () => {
      const page = await logs.page('wh-recent', { limit: 30, outcome: 'failed' });
      expect(page.items).toHaveLength(20);
      expect(page.nextCursor).toBeNull();
    });
  });
});

describe('when a webhook logs more attempts between two merges than the merged rows keep', () => {
  const store = monitoredStore('it_recent_burst');
  const now = Date.UTC(2026, 10, 23, 12, 30);
  const writer = createAttemptLogWriter(store.database, {
    service: 'sender',
    retentionMs: 30 * day,
    mergeDelayMs: 1_000,
    timedWrite: <T>(_operation: string, write: () => Promise<T>) => write(),
    onFlushError: () => undefined,
    now: () => now,
  });
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  // 12 failures, then 300 successes, all before one merge: the failures are not among the newest rows.
  const attempts = Array.from({ length: 312 }, (_, index) =>
    sampleAttemptLog({
      webhookId: 'wh-burst',
      startedAt: new Date(now - 400_000 + index * 1_000),
      outcome: index < 12 ? 'failed' : 'succeeded',
    }),
  );

  beforeAll(async () => {
    await store.client.connect();
    await writer.writeLogs(attempts);
    await writer.flush();
  });
  afterAll(async () => {
    await writer.stop();
    await dropQuietly(store.database, store.client);
  });

  it('still lists every failure on a page of failures', async () => {
    const page = await logs.page('wh-burst', { limit: 25, outcome: 'failed' });
    expect(page.items.map((item) => item.startedAt)).toEqual(
      attempts
        .slice(0, 12)
        .reverse()
        .map((attempt) => attempt.startedAt),
    );
  });
});

describe('when an earlier version logged into one collection', () => {
  const store = monitoredStore('it_attempt_legacy');
  const now = Date.UTC(2026, 10, 23, 12, 30);
  const logs = new AttemptLogRepository(store.database, { retentionMs: day, now: () => now });
  const legacy = store.database.collection('delivery_attempts');
  const at = (hoursAgo: number) => new Date(now - hoursAgo * hour);

  beforeAll(async () => {
    await store.client.connect();
    // As that version stored them: without their empty fields, each under an ObjectId.
    await legacy.insertMany(
      [
        sampleAttemptLog({ webhookId: 'wh-l', deliveryId: 'd-expired', startedAt: at(30) }),
        ...[5, 3, 1].map((hoursAgo) =>
          sampleAttemptLog({ webhookId: 'wh-l', deliveryId: `d-${hoursAgo}`, startedAt: at(hoursAgo) }),
        ),
      ].map(({ dueAt, error, errorKind, nextAttemptAt, test, ...stored }) => ({
        // Made when the attempt was logged, as the driver makes ids: its time, then a counter.
        _id: new ObjectId(Math.floor(stored.startedAt.getTime() / 1000)),
        ...stored,
      })),
    );
  });
  afterAll(() => dropQuietly(store.database, store.client));

  it('moves the attempts within the retention into their buckets and drops the old collection', async () => {
    expect(await hasLegacyLog(store.database)).toBe(true);
    expect(await importLegacyLog(store.database, logs)).toBe(3);
    expect(await hasLegacyLog(store.database)).toBe(false);
    const page = await logs.page('wh-l', { limit: 10 });
    expect(page.items.map((item) => item.deliveryId)).toEqual(['d-1', 'd-3', 'd-5']);
    expect(page.items[0]).toMatchObject({ dueAt: null, error: null, test: false });
  });

  it('opens each moved attempt by the id it had, whatever its last byte', async () => {
    const { items } = await logs.page('wh-l', { limit: 10 });
    // Ids the driver made: consecutive, so at most one of them ends in the zero byte a pack's id has.
    expect(items.filter((item) => !item.id.endsWith('00')).length).toBeGreaterThanOrEqual(2);
    for (const item of items) {
      expect(await logs.attemptDetail('wh-l', item.id)).toMatchObject({
        id: item.id,
        deliveryId: item.deliveryId,
      });
    }
  });

  describe('when the import is run again after an interruption', () => {
    it('skips the attempts already moved', async () => {
      const [moved] = (await logs.page('wh-l', { limit: 1 })).items;
      const bucket = (await logs.liveCollections())[0];
      const original = await bucket?.findOne({});
      await legacy.insertOne({ ...(original as object) });
      expect(await importLegacyLog(store.database, logs)).toBe(1);
      expect((await logs.page('wh-l', { limit: 10 })).items.map((item) => item.id)).toContain(moved?.id);
      expect((await logs.page('wh-l', { limit: 10 })).items).toHaveLength(3);
    });
  });
});

describe('the attempt log’s indexes', () => {
  const store = monitoredStore('it_attempt_indexes');
  const logs = new AttemptLogRepository(store.database, {
    retentionMs: 30 * day,
    now: () => startedAt.getTime(),
  });
  beforeAll(() => store.client.connect());
  afterAll(() => dropQuietly(store.database, store.client));

  it('are made on each bucket only where the store reads through them', async () => {
    const plan = await store.database.collection('probe').find({ deliveryId: '' }).explain();
    // FerretDB 1.x on SQLite filters on nothing but _id in SQL, and says so; MongoDB has no such field.
    const storeUsesIndexes = plan.filterPushdown !== false;
    expect(await logs.ensureIndexes()).toBe(storeUsesIndexes);
    await logs.insertMany([{ ...firstTrySuccess, deliveryId: 'd-indexed' }]);
    const [bucket] = await store.database.listCollections({}, { nameOnly: true }).toArray();
    const names = (await store.database.collection(bucket?.name ?? '').indexes())
      .map((index) => index.name)
      .sort();
    expect(names).toEqual(
      storeUsesIndexes
        ? [
            '_id_',
            'webhookId_1_deliveryId_1_attempt_1',
            'webhookId_1_deliveryIds_1',
            'webhookId_1_startedAt_-1__id_-1',
          ]
        : ['_id_'],
    );
  });
});
