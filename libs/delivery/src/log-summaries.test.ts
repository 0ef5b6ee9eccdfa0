import type { Db } from 'mongodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogItem } from './attempt-documents';
import { createAttemptLogWriter } from './attempt-log-writer';
import { RecentAttempts } from './recent-attempts';
import { sampleAttempt } from './sample-attempt.fixture';
import { ActivityRecorder } from './webhook-activity';

/** A stand-in store whose writes fail while `down` is set, and which records those that succeed. */
function flakyStore() {
  const state = { down: true, writes: [] as string[], reads: [] as string[] };
  const db = {
    collection: (name: string) => ({
      find: () => {
        state.reads.push(name);
        return {
          sort: () => ({ limit: () => ({ next: async () => null }) }),
          explain: async () => ({ filterPushdown: false }),
        };
      },
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
    const recent = new RecentAttempts(db, {
      now: Date.now,
      mergeDelayMs: 1_000,
      flushEveryMs: 1_000,
      retentionMs: 86_400_000,
    });
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
      mergeDelayMs: 1_000,
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

/** Newest attempts merged into a stand-in store that is up, on a clock the test moves. */
function quietWebhook(options: { mergeDelayMs: number }) {
  const { db, state } = flakyStore();
  state.down = false;
  const clock = { at: 0 };
  const recent = new RecentAttempts(db, {
    now: () => clock.at,
    flushEveryMs: 1_000,
    retentionMs: 86_400_000,
    ...options,
  });
  return { recent, state, clock };
}

describe('when a webhook logs less than the merge delay brings together', () => {
  const merges = (writes: string[]) => writes.filter((write) => write.startsWith('insert webhook_recent.'));

  it('merges its rows at the last flush before they would wait longer than the delay', async () => {
    const { recent, state, clock } = quietWebhook({ mergeDelayMs: 5_000 });
    recent.record('wh-1', [item]);
    for (const at of [0, 1_000, 2_000, 3_000, 4_000]) {
      clock.at = at;
      await recent.flush({ dueOnly: true });
      expect(merges(state.writes), `at ${at} ms`).toEqual([]);
    }
    clock.at = 4_001;
    await recent.flush({ dueOnly: true });
    expect(merges(state.writes)).toEqual(['insert webhook_recent.wh-1']);
  });

  it('counts the wait from the oldest row it holds, not the newest', async () => {
    const { recent, state, clock } = quietWebhook({ mergeDelayMs: 5_000 });
    recent.record('wh-1', [item]);
    clock.at = 3_000;
    recent.record('wh-1', [{ ...item, id: '0123456789abcdef01234568' }]);
    clock.at = 4_001;
    await recent.flush({ dueOnly: true });
    expect(merges(state.writes)).toEqual(['insert webhook_recent.wh-1']);
  });

  it('merges a test delivery at the next flush, for the operator waiting to see it', async () => {
    const { recent, state } = quietWebhook({ mergeDelayMs: 5_000 });
    recent.record('wh-1', [item]);
    recent.record('wh-2', [{ ...item, test: true }]);
    await recent.flush({ dueOnly: true });
    expect(merges(state.writes)).toEqual(['insert webhook_recent.wh-2']);
  });

  it('merges an operator’s Resend at the next flush, and not a scheduled retry', async () => {
    const { recent, state } = quietWebhook({ mergeDelayMs: 5_000 });
    recent.record('wh-1', [{ ...item, attempt: 2, dueAt: new Date(60_000) }]);
    recent.record('wh-2', [{ ...item, attempt: 6, dueAt: null }]);
    await recent.flush({ dueOnly: true });
    expect(merges(state.writes)).toEqual(['insert webhook_recent.wh-2']);
  });

  it('merges every webhook at each flush when the delay is the time between flushes', async () => {
    const { recent, state, clock } = quietWebhook({ mergeDelayMs: 1_000 });
    recent.record('wh-1', [item]);
    clock.at = 1;
    await recent.flush({ dueOnly: true });
    expect(merges(state.writes)).toEqual(['insert webhook_recent.wh-1']);
  });

  it('merges what it holds of every webhook when flushed whole', async () => {
    const { recent, state } = quietWebhook({ mergeDelayMs: 60_000 });
    recent.record('wh-1', [item]);
    recent.record('wh-2', [item]);
    await recent.flush();
    expect(merges(state.writes).sort()).toEqual(['insert webhook_recent.wh-1', 'insert webhook_recent.wh-2']);
  });

  it('merges rows whose merge failed at the next flush once the store is back', async () => {
    const { recent, state, clock } = quietWebhook({ mergeDelayMs: 5_000 });
    recent.record('wh-1', [item]);
    clock.at = 4_001;
    state.down = true;
    await expect(recent.flush({ dueOnly: true })).rejects.toThrow('not merged');
    state.down = false;
    clock.at = 5_001;
    await recent.flush({ dueOnly: true });
    expect(merges(state.writes)).toEqual(['insert webhook_recent.wh-1']);
  });
});

describe('when a writer merges a webhook it merged last', () => {
  const reads = (names: string[]) => names.filter((name) => name === 'webhook_recent.wh-1').length;
  const mergedOnce = () => quietWebhook({ mergeDelayMs: 1_000 });

  it('builds on the rows it inserted, without reading them back', async () => {
    const { recent, state } = mergedOnce();
    for (const id of ['0123456789abcdef01234567', '0123456789abcdef01234568']) {
      recent.record('wh-1', [{ ...item, id }]);
      await recent.flush();
    }
    expect(reads(state.reads)).toBe(1);
  });

  it('reads them anew once its merge is half the retention old, since the retention may drop them', async () => {
    const { recent, state, clock } = mergedOnce();
    recent.record('wh-1', [item]);
    await recent.flush();
    clock.at = 43_200_000;
    recent.record('wh-1', [{ ...item, id: '0123456789abcdef01234568' }]);
    await recent.flush();
    expect(reads(state.reads)).toBe(2);
  });
});

describe('when the writer runs on its own clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('merges a webhook’s rows on the tick before the delay is out, and the rest when it stops', async () => {
    vi.useFakeTimers({ now: 0 });
    const { db, state } = flakyStore();
    state.down = false;
    const writer = createAttemptLogWriter(db, {
      service: 'sender',
      retentionMs: 86_400_000,
      mergeDelayMs: 3_000,
      timedWrite: (_operation, write) => write(),
      onFlushError: () => undefined,
    });
    await writer.writeLogs([sampleAttempt({ webhookId: 'wh-1' })]);
    await vi.advanceTimersByTimeAsync(1_000);
    await writer.writeLogs([sampleAttempt({ webhookId: 'wh-2' })]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.writes).not.toContain('insert webhook_recent.wh-1');
    expect(state.writes).toContain('replace webhook_activity');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.writes).toContain('insert webhook_recent.wh-1');
    expect(state.writes).not.toContain('insert webhook_recent.wh-2');
    await writer.stop();
    expect(state.writes).toContain('insert webhook_recent.wh-2');
  });
});
