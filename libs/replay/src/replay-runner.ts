import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { ClaimTarget, ResendClaims } from '@wms-webhooks/delivery';
import type { Webhook } from '@wms-webhooks/webhooks';
import type { ReplayMetrics } from './replay-metrics';
import type { ReplayPace } from './replay-pace';
import type { ReplayRequest } from './replay-request';
import { type ReplayItem, type ReplayScope, type SourceDeps, visitReplay } from './replay-sources';
import {
  activeStates,
  finishedReplayKeptMs,
  noCounts,
  type Replay,
  type ReplayCounts,
  type ReplayStore,
} from './replay-store';

export interface ReplayRunnerDeps extends SourceDeps {
  store: Pick<
    ReplayStore,
    'create' | 'update' | 'claimRun' | 'active' | 'cancelRequested' | 'removeFinishedBefore'
  >;
  claims: Pick<ResendClaims, 'take' | 'holderOf' | 'markSent' | 'giveBack'>;
  webhookById: (id: string) => Promise<Webhook | undefined>;
  /** Produces the deliveries to webhooks.deliveries, each under its key; resolves once they are durable. */
  send: (items: readonly ReplayItem[]) => Promise<void>;
  pace: ReplayPace;
  metrics: ReplayMetrics;
  /** Replays this process runs at once; more wait, queued, for a free run here or on another API. */
  maxRunning: number;
  /** How often a run writes its progress and checks for a cancellation. */
  heartbeatMs?: number;
  /** A running replay whose run has been silent this long is taken over by another API. */
  staleAfterMs?: number;
  /** How often queued and abandoned replays are looked for. */
  pollMs?: number;
}

export interface ReplayPreview {
  /** Deliveries the replay would send. */
  count: number;
  /** The events of the first of them. */
  eventIds: string[];
  /** Records read to find them. */
  scanned: number;
  /** False when the preview stopped at its time limit: the count is then a lower bound. */
  complete: boolean;
}

const cleanupEveryMs = 3_600_000;

/** Deliveries produced per write: enough to share the round trip, few enough that a crash loses little. */
const sendBatch = 50;

/**
 * Runs replays: the one an API accepts, at once if it has a free run, and any queued or abandoned one it
 * finds (its runner's API stopped). Each run walks its source, claims each delivery before sending it and
 * marks the claim once sent (so a Resend pressed meanwhile never sends a failure twice, and a run that takes
 * over sends what its predecessor claimed but had not sent), and paces what it sends with every other
 * replay of the process. Progress is written every heartbeat; a cancellation, or the webhook
 * disabled or deleted, stops the run there.
 */
export function createReplayRunner(deps: ReplayRunnerDeps) {
  const heartbeatMs = deps.heartbeatMs ?? 2_000;
  const staleAfterMs = deps.staleAfterMs ?? 30_000;
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  let stopped = false;

  /** A log replay's first attempts are its own to claim; a failure's resend is everyone's. */
  const targetOf = (replay: Replay, { task }: ReplayItem): ClaimTarget =>
    replay.source === 'log'
      ? { webhookId: task.webhookId, deliveryId: task.deliveryId, replayId: replay.id }
      : { webhookId: task.webhookId, deliveryId: task.deliveryId, attempt: task.attempt };

  /**
   * Whether the run is to send the delivery: claimed now, or claimed by an earlier run of this replay and
   * not marked sent (it stopped in between); 'sent' when an earlier run sent it, 'taken' when a Resend or
   * another replay holds it.
   */
  async function claim(replay: Replay, item: ReplayItem): Promise<'send' | 'sent' | 'taken'> {
    const target = targetOf(replay, item);
    if (await deps.claims.take(target, replay.id)) return 'send';
    const holder = await deps.claims.holderOf(target);
    if (holder?.by !== replay.id) return 'taken';
    return holder.sent ? 'sent' : 'send';
  }

  async function execute(replay: Replay, run: number, abort: AbortController) {
    const counts: ReplayCounts = { ...noCounts };
    const started = deps.now();
    const write = (fields: Partial<Replay>) => deps.store.update(replay.id, run, fields);
    if (
      !(await write({
        state: 'running',
        startedAt: replay.startedAt ?? new Date(started),
        heartbeatAt: new Date(started),
        error: null,
        ...noCounts,
      }))
    )
      return;
    let stopReason: { state: 'cancelled' | 'failed'; error: string | null } | undefined;
    const stop = (state: 'cancelled' | 'failed', error: string | null) => {
      stopReason ??= { state, error };
      abort.abort();
    };
    let beating = false;
    const heartbeat = setInterval(() => {
      if (beating) return;
      beating = true;
      void (async () => {
        if (await deps.store.cancelRequested(replay.id)) stop('cancelled', null);
        const webhook = await deps.webhookById(replay.webhookId);
        if (!webhook) stop('failed', 'the webhook was deleted');
        else if (!webhook.enabled) stop('failed', 'the webhook was disabled');
        if (!(await write({ heartbeatAt: new Date(deps.now()), ...counts })))
          stop('failed', 'taken over by another run');
      })()
        .catch((error: unknown) =>
          deps.logger.warn({ err: error, replayId: replay.id }, 'replay heartbeat failed'),
        )
        .finally(() => {
          beating = false;
        });
    }, heartbeatMs);
    const pending: ReplayItem[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const batch = pending.splice(0);
      const targets = batch.map((item) => targetOf(replay, item));
      try {
        await deps.send(batch);
      } catch (error) {
        await Promise.allSettled(targets.map((target) => deps.claims.giveBack(target)));
        throw error;
      }
      await deps.claims.markSent(targets);
      counts.sent += batch.length;
      deps.metrics.delivered(replay.source, 'sent', batch.length);
    };
    try {
      if (await deps.store.cancelRequested(replay.id)) stop('cancelled', null);
      const webhook = await deps.webhookById(replay.webhookId);
      if (!webhook) stop('failed', 'the webhook was deleted');
      else if (!webhook.enabled) stop('failed', 'the webhook is disabled');
      if (webhook && !abort.signal.aborted) {
        const scope: ReplayScope = { replayId: replay.id, webhook, request: replay };
        await visitReplay(deps, scope, abort.signal, {
          scanned: (count) => {
            counts.scanned += count;
          },
          visit: async (item) => {
            counts.matched += 1;
            const waitMs = deps.pace.take();
            if (waitMs > 0) {
              await flush();
              // Cut short by a cancellation or a stop; the check below ends the walk.
              await delay(waitMs, undefined, { signal: abort.signal }).catch(() => undefined);
            }
            if (abort.signal.aborted) return;
            const claimed = await claim(replay, item);
            if (claimed === 'send') {
              pending.push(item);
              if (pending.length >= sendBatch) await flush();
            } else if (claimed === 'sent') {
              counts.sent += 1;
            } else {
              counts.skipped += 1;
              deps.metrics.delivered(replay.source, 'skipped', 1);
            }
          },
        });
        await flush();
      }
    } catch (error) {
      stop('failed', (error as Error).message);
      deps.logger.error({ err: error, replayId: replay.id }, 'replay failed');
    } finally {
      clearInterval(heartbeat);
    }
    if (!stopReason && abort.signal.aborted) {
      // Stopped with its API: left running, and silent at once, for another API to take over.
      await write({ heartbeatAt: new Date(0), ...counts }).catch(() => undefined);
      return;
    }
    const state = stopReason?.state ?? 'completed';
    const written = await write({
      state,
      error: stopReason?.error ?? null,
      finishedAt: new Date(deps.now()),
      heartbeatAt: new Date(deps.now()),
      ...counts,
    });
    if (written) deps.metrics.finished(replay.source, state);
    deps.logger.info({ replayId: replay.id, webhookId: replay.webhookId, state, ...counts }, 'replay ended');
  }

  /** Runs the replay here if a run is free and no one else took it first. */
  async function tryStart(replay: Replay): Promise<boolean> {
    if (stopped || running.size >= deps.maxRunning || running.has(replay.id)) return false;
    const run = replay.run + 1;
    if (!(await deps.store.claimRun(replay.id, run, deps.now()))) return false;
    const abort = new AbortController();
    const done = execute(replay, run, abort)
      .catch((error: unknown) => deps.logger.error({ err: error, replayId: replay.id }, 'replay run failed'))
      .finally(() => {
        running.delete(replay.id);
        deps.metrics.running(running.size);
        void poll();
      });
    running.set(replay.id, { abort, done });
    deps.metrics.running(running.size);
    return true;
  }

  let polling: Promise<void> | undefined;
  let cleanedAt = Number.NEGATIVE_INFINITY;
  function poll(): Promise<void> {
    if (stopped) return Promise.resolve();
    polling ??= (async () => {
      if (deps.now() - cleanedAt > cleanupEveryMs) {
        await deps.store.removeFinishedBefore(deps.now() - finishedReplayKeptMs);
        cleanedAt = deps.now();
      }
      const stale = deps.now() - staleAfterMs;
      for (const replay of await deps.store.active()) {
        if (replay.state === 'queued' || replay.heartbeatAt.getTime() < stale) await tryStart(replay);
      }
    })()
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'looking for replays to run failed'))
      .finally(() => {
        polling = undefined;
      });
    return polling;
  }
  const timer = setInterval(() => void poll(), deps.pollMs ?? 5_000);
  timer.unref();
  void poll();

  return {
    /** Stores a replay as queued and starts it here if this API has a free run. */
    async submit(replay: Replay): Promise<void> {
      await deps.store.create(replay);
      await tryStart(replay);
    },

    /** What a replay would send, found within `timeLimitMs`; nothing is claimed or sent. */
    async preview(
      webhook: Webhook,
      request: Pick<ReplayRequest, 'from' | 'to' | 'source'>,
      options: { firstEvents?: number; timeLimitMs?: number } = {},
    ): Promise<ReplayPreview> {
      const signal = AbortSignal.timeout(options.timeLimitMs ?? 20_000);
      const preview: ReplayPreview = { count: 0, eventIds: [], scanned: 0, complete: true };
      const replayId = `preview-${randomUUID()}`;
      await visitReplay(deps, { replayId, webhook, request }, signal, {
        scanned: (count) => {
          preview.scanned += count;
        },
        visit: async ({ task }) => {
          // A failure already sent again, by a Resend or a replay, would be skipped.
          const { webhookId, deliveryId, attempt } = task;
          if (request.source === 'failed' && (await deps.claims.holderOf({ webhookId, deliveryId, attempt })))
            return;
          preview.count += 1;
          if (preview.eventIds.length < (options.firstEvents ?? 10)) preview.eventIds.push(task.eventId);
        },
      });
      preview.complete = !signal.aborted;
      return preview;
    },

    isActive: (replay: Replay) => activeStates.includes(replay.state),

    /** Stops the runs of this API where they are; another API takes them over once they are silent. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await polling;
      for (const { abort } of running.values()) abort.abort();
      await Promise.allSettled([...running.values()].map((entry) => entry.done));
    },
  };
}

export type ReplayRunner = ReturnType<typeof createReplayRunner>;
