import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { AttemptLogRepository } from './attempt-log';
import { sampleAttempt } from './sample-attempt.fixture';

/**
 * A stand-in for the store that only records what the repository asks of it: which collections it writes
 * and which indexes it makes. The integration tests run the same path against FerretDB, and against
 * MongoDB where Docker is available.
 */
function recordingStore(explain: Record<string, unknown>) {
  const indexes: string[] = [];
  const inserted: string[] = [];
  const db = {
    collection: (name: string) => ({
      find: () => ({ explain: async () => explain }),
      createIndex: async (keys: Record<string, number>) => {
        indexes.push(`${name} ${JSON.stringify(keys)}`);
      },
      insertMany: async (documents: unknown[]) => {
        inserted.push(`${name} ×${documents.length}`);
      },
    }),
  } as unknown as Db;
  return { db, indexes, inserted };
}

const log = (startedAt: Date) => sampleAttempt({ startedAt });

describe('the attempt log’s indexes', () => {
  const nine = new Date(Date.UTC(2026, 11, 2, 9, 10));
  const ten = new Date(Date.UTC(2026, 11, 2, 10, 5));

  describe('on a store that reads through them (MongoDB: its explain has no filterPushdown)', () => {
    it('makes all three on each bucket as it is first written, once', async () => {
      const store = recordingStore({ queryPlanner: {} });
      const logs = new AttemptLogRepository(store.db, { retentionMs: 30 * 86_400_000 });
      await logs.insertMany([log(nine), log(ten)]);
      await logs.insertMany([log(nine)]);
      const bucket = (time: Date) =>
        `delivery_attempts.60m.${Math.floor(time.getTime() / 3_600_000) * 3_600_000}`;
      expect(store.indexes.sort()).toEqual(
        [
          `${bucket(nine)} {"webhookId":1,"startedAt":-1,"_id":-1}`,
          `${bucket(nine)} {"webhookId":1,"deliveryId":1,"attempt":1}`,
          `${bucket(nine)} {"webhookId":1,"deliveryIds":1}`,
          `${bucket(ten)} {"webhookId":1,"startedAt":-1,"_id":-1}`,
          `${bucket(ten)} {"webhookId":1,"deliveryId":1,"attempt":1}`,
          `${bucket(ten)} {"webhookId":1,"deliveryIds":1}`,
        ].sort(),
      );
      expect(store.inserted.sort()).toEqual(
        [`${bucket(nine)} ×1`, `${bucket(nine)} ×1`, `${bucket(ten)} ×1`].sort(),
      );
    });
  });

  describe('on FerretDB 1.x with SQLite (filterPushdown: false)', () => {
    it('makes none', async () => {
      const store = recordingStore({ filterPushdown: false });
      const logs = new AttemptLogRepository(store.db, { retentionMs: 30 * 86_400_000 });
      await logs.insertMany([log(nine), log(ten)]);
      expect(store.indexes).toEqual([]);
      expect(store.inserted).toHaveLength(2);
    });
  });
});
