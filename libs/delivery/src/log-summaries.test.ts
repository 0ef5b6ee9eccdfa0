import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { LogItem } from './attempt-documents';
import { createAttemptLogWriter } from './attempt-log-writer';
import { RecentAttempts } from './recent-attempts';
import { sampleAttempt } from './sample-attempt.fixture';
import { ActivityRecorder } from './webhook-activity';

/** A stand-in store whose writes fail while `down` is set, and which records those that succeed. */
function flakyStore() {
  const state = { down: true, writes: [] as string[] };
  const db = {
    collection: (name: string) => ({
      find: () => ({
        sort: () => ({ limit: () => ({ next: async () => null }) }),
        explain: async () => ({ filterPushdown: false }),
      }),
      insertMany: async () => undefined,
      insertOne: async () => {
        if (state.down) throw new Error('store unreachable');
        state.writes.push(`insert ${name}`);
      },
      replaceOne: async () => {
        if (state.down) throw new Error('store unreachable');
        state.writes.push(`replace ${name}`);
      },
      deleteMany: async () => ({ deletedCount: 0 }),
    }),
  } as unknown as Db;
  return { db, state };
}

const { webhookId, goodsOwnerId, url, ...listed } = sampleAttempt();
const item: LogItem = { ...listed, id: '0123456789abcdef01234567', resendable: false };

describe('when a summary write fails while the store is unreachable', () => {
  it('the newest attempts are merged at the next flush once it is back', async () => {
    const { db, state } = flakyStore();
    const recent = new RecentAttempts(db, Date.now);
    recent.record('wh-1', [item]);
    await expect(recent.flush()).rejects.toThrow('not merged');
    state.down = false;
    await recent.flush();
    expect(state.writes).toEqual(['insert webhook_recent.wh-1']);
  });

  it('the activity counts are written at the next flush once it is back', async () => {
    const { db, state } = flakyStore();
    const activity = new ActivityRecorder(db, { service: 'sender' });
    activity.record([sampleAttempt({ webhookId: 'wh-1' })]);
    await expect(activity.flush()).rejects.toThrow('store unreachable');
    state.down = false;
    await activity.flush();
    expect(state.writes).toEqual(['replace webhook_activity']);
  });

  it('the writer’s next flush writes both once it is back', async () => {
    const { db, state } = flakyStore();
    const writer = createAttemptLogWriter(db, {
      service: 'sender',
      retentionMs: 86_400_000,
      timedWrite: (_operation, write) => write(),
      onFlushError: () => undefined,
    });
    await writer.writeLogs([sampleAttempt({ webhookId: 'wh-1' })]);
    await expect(writer.flush()).rejects.toThrow();
    state.down = false;
    await writer.stop();
    expect(state.writes.sort()).toEqual(['insert webhook_recent.wh-1', 'replace webhook_activity']);
  });
});
