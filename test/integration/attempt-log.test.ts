import { type AttemptLog, AttemptLogRepository } from '@wms-webhooks/delivery';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAttemptLog } from '../support/sample-values';
import { testEndpoints } from '../support/stack';
import { uniqueName } from '../support/unique';

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

describe('the attempt log on the store', () => {
  const client = new MongoClient(testEndpoints().mongodbUri, { serverSelectionTimeoutMS: 5_000 });
  const database = client.db(uniqueName('it_attempts').replaceAll('-', '_'));
  const logs = new AttemptLogRepository(database);

  beforeAll(async () => {
    await client.connect();
    await logs.ensureIndexes();
    await logs.insertMany([firstTrySuccess, retriedFailure]);
  });

  afterAll(async () => {
    await database.dropDatabase().catch(() => undefined);
    await client.close();
  });

  describe('when an attempt has empty fields', () => {
    it('stores it without them', async () => {
      const stored = await logs.collection.findOne({ deliveryId: 'd-ok' }, { projection: { _id: 0 } });
      expect(Object.keys(stored ?? {}).sort()).toEqual(
        [
          'attempt',
          'deliveryId',
          'durationMs',
          'eventId',
          'eventType',
          'final',
          'goodsOwnerId',
          'outcome',
          'startedAt',
          'statusCode',
          'url',
          'webhookId',
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
  });

  it('pages both, newest first, each with its id', async () => {
    const page = await logs.page('wh-1', { limit: 10 });
    expect(page.items.map(({ id, ...log }) => log)).toEqual([retriedFailure, firstTrySuccess]);
    expect(page.items.every((item) => /^[0-9a-f]{24}$/.test(item.id))).toBe(true);
    expect(page.nextCursor).toBeNull();
  });

  it('filters a page by outcome', async () => {
    const page = await logs.page('wh-1', { limit: 10, outcome: 'failed' });
    expect(page.items.map((item) => item.deliveryId)).toEqual(['d-failed']);
  });
});

describe('the attempt log’s indexes', () => {
  const client = new MongoClient(testEndpoints().mongodbUri, { serverSelectionTimeoutMS: 5_000 });
  const database = client.db(uniqueName('it_attempt_indexes').replaceAll('-', '_'));
  const logs = new AttemptLogRepository(database);
  beforeAll(() => client.connect());
  afterAll(async () => {
    await database.dropDatabase().catch(() => undefined);
    await client.close();
  });

  it('are made only where the store reads through them', async () => {
    const plan = await logs.collection.find({ deliveryId: '' }).explain();
    // FerretDB 1.x on SQLite filters on nothing but _id in SQL, and says so; MongoDB has no such field.
    const storeUsesIndexes = plan.filterPushdown !== false;
    expect(await logs.ensureIndexes()).toBe(storeUsesIndexes);
    await logs.insertMany([{ ...firstTrySuccess, deliveryId: 'd-indexed' }]);
    const names = (await logs.collection.indexes()).map((index) => index.name).sort();
    expect(names).toEqual(
      storeUsesIndexes ? ['_id_', 'deliveryId_1_attempt_1', 'webhookId_1_startedAt_-1__id_-1'] : ['_id_'],
    );
  });
});
