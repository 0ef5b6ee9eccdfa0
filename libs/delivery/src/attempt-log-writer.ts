import { groupCommit } from '@wms-webhooks/kafka';
import type { Db } from 'mongodb';
import type { AttemptLog, LogItem } from './attempt-documents';
import { AttemptLogRepository } from './attempt-log';
import { RecentAttempts } from './recent-attempts';
import { ReplayOutcomeRecorder } from './replay-outcomes';
import { ActivityRecorder } from './webhook-activity';

/** How stale the webhook list and a first Logs page may be: each writer merges its news this often. */
const summaryFlushMs = 1_000;

export interface AttemptLogWriterOptions {
  service: string;
  retentionMs: number;
  /** Wraps each store write, for its metrics. */
  timedWrite: <T>(operation: string, write: () => Promise<T>) => Promise<T>;
  onFlushError: (error: unknown) => void;
  now?: () => number;
}

/**
 * What a delivering service writes after each attempt: the attempt log, in shared writes (one store round
 * trip serves every lane that has logs waiting); then, every second, its counts for the webhook list, the
 * newest attempts for a first Logs page and how replayed deliveries ended, so none of them reads the log.
 */
export function createAttemptLogWriter(db: Db, options: AttemptLogWriterOptions) {
  const now = options.now ?? Date.now;
  const repository = new AttemptLogRepository(db, { retentionMs: options.retentionMs, now });
  const activity = new ActivityRecorder(db, { service: options.service, now });
  const recent = new RecentAttempts(db, now);
  const replays = new ReplayOutcomeRecorder(db, { service: options.service, now });
  const writeLogs = groupCommit<AttemptLog>(async (logs) => {
    const written = await options.timedWrite('insert_attempt_logs', () => repository.insertMany(logs));
    activity.record(logs);
    replays.record(logs);
    const byWebhook = new Map<string, LogItem[]>();
    for (const { webhookId, item } of written) {
      const items = byWebhook.get(webhookId) ?? [];
      items.push(item);
      byWebhook.set(webhookId, items);
    }
    for (const [webhookId, items] of byWebhook) recent.record(webhookId, items);
  });
  // The one place summary flushes are ordered: each runs after the last, failed or not, and a tick is
  // skipped while one runs, so a slow store delays the summaries instead of queueing them up.
  let last: Promise<void> = Promise.resolve();
  let busy = false;
  const flush = (): Promise<void> => {
    const run = last
      .catch(() => undefined)
      .then(async () => {
        busy = true;
        try {
          await options.timedWrite('write_log_summaries', () =>
            Promise.all([activity.flush(), recent.flush(), replays.flush()]),
          );
        } finally {
          busy = false;
        }
      });
    last = run;
    return run;
  };
  const timer = setInterval(() => {
    if (!busy) flush().catch(options.onFlushError);
  }, summaryFlushMs);
  timer.unref();
  return {
    repository,
    writeLogs,
    /** A shutdown step, once the consumer has stopped: writes the last summaries. */
    stop: async () => {
      clearInterval(timer);
      await flush();
    },
    /** Writes the summaries now, for a caller that cannot wait for the next second. */
    flush,
  };
}
