import type { Db } from 'mongodb';
import { Counter, Gauge, type Registry } from 'prom-client';
import { foldClosedHours, removeOldHours } from './activity-history';
import type { AttemptLogRepository, LogStats } from './attempt-log';
import { indexClosedGenerations } from './log-page-directory';
import { removeExpiredPages } from './log-pages';
import { removeStaleRecent } from './recent-attempts';
import { removeSilentReplayWriters } from './replay-outcomes';
import { ResendClaims } from './resend-claims';
import { removeSilentWriters } from './webhook-activity';

export interface LogRetentionOptions {
  registry: Registry;
  intervalMs: number;
  now?: () => number;
  onError: (error: unknown) => void;
  onRemoved: (buckets: string[]) => void;
  /**
   * How long one run may spend indexing closed generations of pages (log-page-directory.ts); the next run
   * goes on. 15 s unless set: a bench indexing everything at once sets it to Infinity.
   */
  indexingBudgetMs?: number;
}

/**
 * Keeps the attempt log within its retention: every interval, drops the buckets that ended before it, the
 * pages past it, and the activity of writers long silent, indexes the deliveries of each generation of
 * pages once it is closed (log-page-directory.ts), folds the writers' closed hours for charts over days
 * (activity-history.ts), then measures what is left for `/metrics` and the UI. Several
 * processes may run it at once; a bucket dropped twice is dropped once.
 */
export function keepLogRetention(db: Db, repository: AttemptLogRepository, options: LogRetentionOptions) {
  const now = options.now ?? Date.now;
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers: [options.registry] });
  const bytes = gauge(
    'wms_webhooks_attempt_log_bytes',
    'Bytes the attempt log takes in the store, its pages and indexes included.',
  );
  const oldest = gauge(
    'wms_webhooks_attempt_log_oldest_timestamp_seconds',
    'Start of the oldest time bucket of the attempt log: no attempt kept is older.',
  );
  const buckets = gauge('wms_webhooks_attempt_log_buckets', 'Time buckets the attempt log is kept in.');
  const retention = gauge(
    'wms_webhooks_attempt_log_retention_seconds',
    'How long attempts are kept (WEBHOOKS_LOG_RETENTION_DAYS).',
  );
  const removed = new Counter({
    name: 'wms_webhooks_attempt_log_buckets_removed_total',
    help: 'Time buckets of the attempt log dropped for being older than the retention.',
    registers: [options.registry],
  });
  retention.set(repository.retentionMs / 1000);
  const claims = new ResendClaims(db);
  const foldedHours = new Set<number>();
  const pageBounds = new Map<string, number>();
  const indexedGenerations = new Set<string>();
  let latest: LogStats | undefined;
  let running: Promise<void> | undefined;

  async function runOnce() {
    const expired = await repository.removeExpired();
    if (expired.length > 0) {
      removed.inc(expired.length);
      options.onRemoved(expired.map((bucket) => bucket.name));
      // A read per webhook: worth it only when the retention moved on, once a bucket, not every minute.
      await removeStaleRecent(db, repository.horizon());
      await removeExpiredPages(db, repository.horizon(), pageBounds);
      await removeOldHours(db, repository.horizon());
    }
    // Before the silent writers go: a writer that stopped still holds its last hours.
    await foldClosedHours(db, now(), foldedHours);
    await removeSilentWriters(db, now());
    await removeSilentReplayWriters(db, now());
    await claims.removeOlderThan(repository.horizon());
    await indexClosedGenerations(db, indexedGenerations, options.indexingBudgetMs ?? 15_000);
    latest = await repository.stats();
    bytes.set(latest.bytes);
    buckets.set(latest.buckets);
    oldest.set(latest.oldestAt ? latest.oldestAt.getTime() / 1000 : 0);
  }

  function tick() {
    running ??= runOnce()
      .catch(options.onError)
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  void tick();
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    /** The last measurement, or undefined before the first has finished. */
    latest: () => latest,
    runOnce: tick,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
