import type { AttemptLog, ClaimTarget } from '@wms-webhooks/delivery';
import type { Webhook } from '@wms-webhooks/webhooks';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createReplayMetrics } from './replay-metrics';
import { replayPace } from './replay-pace';
import { createReplayRunner, type ReplayRunnerDeps } from './replay-runner';
import type { ReplayItem } from './replay-sources';
import { queuedReplay, type Replay } from './replay-store';

const webhook = {
  id: 'wh-1',
  enabled: true,
  maxConcurrency: 1,
} as Webhook;

function finalFailure(n: number): AttemptLog {
  return {
    deliveryId: `d-${n}`,
    webhookId: webhook.id,
    eventId: `e-${n}`,
    eventType: 'order.picked',
    goodsOwnerId: 1,
    attempt: 3,
    dueAt: null,
    startedAt: new Date(1_000 + n),
    durationMs: 5,
    outcome: 'failed',
    statusCode: 503,
    errorKind: 'status',
    error: 'HTTP 503',
    test: false,
    final: true,
    nextAttemptAt: null,
    url: null,
    event: { occurredAt: new Date(1_000), warehouseId: null, entityId: `ORD-${n}`, payload: '{}' },
  };
}

function aReplay(fields: Partial<Replay> = {}): Replay {
  const window = { from: new Date(0), to: new Date(10_000) };
  return {
    ...queuedReplay(
      { id: 'r-1', webhookId: webhook.id, source: 'failed', requestedBy: 'ops', ...window },
      new Date(0),
    ),
    ...fields,
  };
}

/** The store and the claims as plain maps: each insert under an id taken before is refused, as in the store. */
function memory() {
  const replays = new Map<string, Replay>();
  const runs = new Set<string>();
  const cancels = new Set<string>();
  const claims = new Map<string, { by: string; sent: boolean }>();
  const store: ReplayRunnerDeps['store'] = {
    create: async (replay) => void replays.set(replay.id, { ...replay }),
    update: async (id, run, fields) => {
      const current = replays.get(id);
      if (!current || current.run > run) return false;
      replays.set(id, { ...current, ...fields, run });
      return true;
    },
    claimRun: async (id, run) => !runs.has(`${id}:${run}`) && Boolean(runs.add(`${id}:${run}`)),
    active: async () =>
      [...replays.values()].filter((replay) => ['queued', 'running'].includes(replay.state)),
    cancelRequested: async (id) => cancels.has(id),
    removeFinishedBefore: async () => 0,
  };
  const keyOf = (target: ClaimTarget) =>
    `${target.webhookId}:${target.deliveryId}:${'attempt' in target ? target.attempt : `replay:${target.replayId}`}`;
  const claimStore: ReplayRunnerDeps['claims'] = {
    take: async (target, by) => {
      if (claims.has(keyOf(target))) return false;
      claims.set(keyOf(target), { by: by ?? 'operator', sent: by === undefined });
      return true;
    },
    holderOf: async (target) => claims.get(keyOf(target)),
    markSent: async (targets) => {
      for (const target of targets) {
        const claim = claims.get(keyOf(target));
        if (claim) claim.sent = true;
      }
    },
    giveBack: async (target) => void claims.delete(keyOf(target)),
  };
  return { replays, cancels, claims, store, claimStore };
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const runners: Array<{ stop: () => Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});

function runnerWith(
  state: ReturnType<typeof memory>,
  failures: AttemptLog[],
  overrides: Partial<ReplayRunnerDeps> = {},
) {
  const sent: ReplayItem[] = [];
  const runner = createReplayRunner({
    store: state.store,
    claims: state.claimStore,
    attemptLogs: {
      async *finalFailures() {
        yield* failures;
      },
    },
    kafka: undefined as never,
    serde: undefined as never,
    eventsTopic: 'wms.events',
    groupPrefix: '',
    limits: { maxPayloadBytes: 1_000 },
    logger: quiet,
    now: Date.now,
    webhookById: async (id) => (id === webhook.id ? webhook : undefined),
    send: async (items) => void sent.push(...items),
    pace: replayPace(100_000),
    metrics: createReplayMetrics(new Registry()),
    maxRunning: 2,
    heartbeatMs: 10,
    pollMs: 20,
    ...overrides,
  });
  runners.push(runner);
  return { runner, sent };
}

const ended = async (state: ReturnType<typeof memory>, id = 'r-1') => {
  for (let tries = 0; tries < 200; tries++) {
    const replay = state.replays.get(id);
    if (replay && !['queued', 'running'].includes(replay.state)) return replay;
    await new Promise((tick) => setTimeout(tick, 10));
  }
  throw new Error(`replay ${id} did not end: ${JSON.stringify(state.replays.get(id))}`);
};

describe('the replay runner', () => {
  describe('when a replay of failures is submitted', () => {
    it('sends each final failure once as its next attempt, keyed by its lane, and completes', async () => {
      const state = memory();
      const { runner, sent } = runnerWith(state, [finalFailure(1), finalFailure(2)]);
      await runner.submit(aReplay());
      const replay = await ended(state);
      expect(replay).toMatchObject({
        state: 'completed',
        scanned: 2,
        matched: 2,
        sent: 2,
        skipped: 0,
        run: 1,
      });
      expect(
        sent.map((item) => [item.key, item.task.deliveryId, item.task.attempt, item.task.replayId]),
      ).toEqual([
        ['wh-1', 'd-1', 4, 'r-1'],
        ['wh-1', 'd-2', 4, 'r-1'],
      ]);
    });

    it('skips a failure an operator resent meanwhile, and counts it', async () => {
      const state = memory();
      state.claims.set('wh-1:d-2:4', { by: 'operator', sent: true });
      const { runner, sent } = runnerWith(state, [finalFailure(1), finalFailure(2)]);
      await runner.submit(aReplay());
      expect(await ended(state)).toMatchObject({ state: 'completed', matched: 2, sent: 1, skipped: 1 });
      expect(sent.map((item) => item.task.deliveryId)).toEqual(['d-1']);
    });
  });

  describe('when sending fails', () => {
    it('gives the unsent deliveries back, so a later replay sends them, and says why it failed', async () => {
      const state = memory();
      const { runner } = runnerWith(state, [finalFailure(1)], {
        send: async () => {
          throw new Error('webhooks.deliveries is unreachable');
        },
      });
      await runner.submit(aReplay());
      expect(await ended(state)).toMatchObject({
        state: 'failed',
        error: 'webhooks.deliveries is unreachable',
        sent: 0,
      });
      expect(state.claims.size).toBe(0);
    });
  });

  describe('when the webhook is gone', () => {
    it('ends the replay failed, naming why', async () => {
      const state = memory();
      const { runner } = runnerWith(state, [finalFailure(1)]);
      await runner.submit(aReplay({ webhookId: 'wh-deleted' }));
      expect(await ended(state)).toMatchObject({ state: 'failed', error: 'the webhook was deleted' });
    });
  });

  describe('when a cancellation is asked for', () => {
    it('stops at its next delivery', async () => {
      const state = memory();
      state.cancels.add('r-1');
      const { runner, sent } = runnerWith(state, [finalFailure(1), finalFailure(2)]);
      await runner.submit(aReplay());
      expect(await ended(state)).toMatchObject({ state: 'cancelled', sent: 0 });
      expect(sent).toEqual([]);
    });
  });

  describe('when its API stops and another takes over', () => {
    it('leaves the replay running, and the next run sends only what the first did not', async () => {
      const state = memory();
      const first = runnerWith(state, [finalFailure(1), finalFailure(2), finalFailure(3)], {
        // One delivery a second: the API stops while the second waits for its turn.
        pace: replayPace(1),
      });
      await first.runner.submit(aReplay());
      for (let tries = 0; tries < 100 && first.sent.length === 0; tries++)
        await new Promise((tick) => setTimeout(tick, 10));
      await first.runner.stop();
      expect(state.replays.get('r-1')).toMatchObject({ state: 'running', heartbeatAt: new Date(0) });

      const second = runnerWith(state, [finalFailure(1), finalFailure(2), finalFailure(3)]);
      expect(await ended(state)).toMatchObject({
        state: 'completed',
        run: 2,
        matched: 3,
        sent: 3,
        skipped: 0,
      });
      expect([...first.sent, ...second.sent].map((item) => item.task.deliveryId)).toEqual([
        'd-1',
        'd-2',
        'd-3',
      ]);
    });
  });

  describe('when an earlier run claimed a delivery and stopped before sending it', () => {
    it('sends it, and counts what the earlier run did send as sent', async () => {
      const state = memory();
      state.replays.set('r-1', aReplay({ state: 'running', run: 1 }));
      state.claims.set('wh-1:d-1:4', { by: 'r-1', sent: true });
      state.claims.set('wh-1:d-2:4', { by: 'r-1', sent: false });
      const { sent } = runnerWith(state, [1, 2, 3].map(finalFailure));
      expect(await ended(state)).toMatchObject({
        state: 'completed',
        run: 2,
        matched: 3,
        sent: 3,
        skipped: 0,
      });
      expect(sent.map((item) => item.task.deliveryId)).toEqual(['d-2', 'd-3']);
      expect([...state.claims.values()].every((claim) => claim.sent)).toBe(true);
    });
  });

  describe('when more are submitted than it runs at once', () => {
    it('queues the rest and starts each as a run frees up', async () => {
      const state = memory();
      const { runner } = runnerWith(state, [finalFailure(1)], { maxRunning: 1 });
      await runner.submit(aReplay({ id: 'r-1' }));
      await runner.submit(aReplay({ id: 'r-2' }));
      expect((await ended(state, 'r-1')).state).toBe('completed');
      // The second replay's delivery was claimed by the first, which sent the same failure.
      expect(await ended(state, 'r-2')).toMatchObject({ state: 'completed', skipped: 1 });
    });
  });

  describe('a preview', () => {
    it('counts what would be sent and names the first events, claiming and sending nothing', async () => {
      const state = memory();
      state.claims.set('wh-1:d-3:4', { by: 'operator', sent: true });
      const { runner, sent } = runnerWith(state, [1, 2, 3].map(finalFailure));
      const preview = await runner.preview(webhook, {
        from: new Date(0),
        to: new Date(10_000),
        source: 'failed',
      });
      expect(preview).toEqual({ count: 2, eventIds: ['e-1', 'e-2'], scanned: 3, complete: true });
      expect(sent).toEqual([]);
      expect(state.claims.size).toBe(1);
    });
  });
});
