import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEndpoints } from '../support/stack';
import { uniqueName } from '../support/unique';

interface Attempt {
  deliveryId: string;
  attempt: number;
  outcome: 'succeeded' | 'failed';
  startedAt: Date;
}

describe('the MongoDB-wire store', () => {
  const client = new MongoClient(testEndpoints().mongodbUri, { serverSelectionTimeoutMS: 5_000 });
  const database = client.db(uniqueName('it_store').replaceAll('-', '_'));
  const attempts = database.collection<Attempt>('attempts');

  beforeAll(async () => {
    await client.connect();
  });

  afterAll(async () => {
    await database.dropDatabase().catch(() => undefined);
    await client.close();
  });

  it('answers a ping', async () => {
    expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
  });

  it('stores documents and finds them by filter, newest first', async () => {
    const base = Date.UTC(2026, 10, 22, 10);
    await attempts.insertMany([
      { deliveryId: 'd-1', attempt: 1, outcome: 'failed', startedAt: new Date(base) },
      { deliveryId: 'd-1', attempt: 2, outcome: 'succeeded', startedAt: new Date(base + 60_000) },
      { deliveryId: 'd-2', attempt: 1, outcome: 'failed', startedAt: new Date(base + 120_000) },
    ]);

    const failed = await attempts
      .find({ outcome: 'failed' }, { projection: { _id: 0 } })
      .sort({ startedAt: -1 })
      .toArray();
    expect(failed.map((attempt) => attempt.deliveryId)).toEqual(['d-2', 'd-1']);
    expect(failed[0]?.startedAt).toEqual(new Date(base + 120_000));
  });

  it('updates a document in place', async () => {
    await attempts.insertOne({ deliveryId: 'd-3', attempt: 1, outcome: 'failed', startedAt: new Date() });
    const result = await attempts.updateOne({ deliveryId: 'd-3' }, { $set: { outcome: 'succeeded' } });
    expect(result.modifiedCount).toBe(1);
    expect((await attempts.findOne({ deliveryId: 'd-3' }))?.outcome).toBe('succeeded');
  });

  it('enforces a unique index', async () => {
    const keys = database.collection<{ key: string }>('keys');
    await keys.createIndex({ key: 1 }, { unique: true });
    await keys.insertOne({ key: 'once' });
    const duplicate = await keys.insertOne({ key: 'once' }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(MongoServerError);
    expect((duplicate as MongoServerError).code).toBe(11000);
  });
});
