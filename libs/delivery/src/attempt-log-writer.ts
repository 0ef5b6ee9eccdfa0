import { groupCommit } from '@wms-webhooks/kafka';
import type { Db } from 'mongodb';
import { z } from 'zod';
import type { AttemptLog, LogItem } from './attempt-documents';
import { AttemptLogRepository } from './attempt-log';
import { type MergeResult, RecentAttempts } from './recent-attempts';
import { ReplayOutcomeRecorder } from './replay-outcomes';
import { ActivityRecorder } from './webhook-activity';

/** How stale the webhook list may be, and how often a writer merges the Logs rows that are due. */
const summaryFlushMs = 1_000;

export const logMergeEnv = {
  WEBHOOKS_LOG_MERGE_DELAY_MS: z.coerce
    .number()
    .int()
    .min(summaryFlushMs, `must be at least ${summaryFlushMs}`)
    .max(60_000, 'must be at most 60000')
    .default(5_000)
    .describe(
      "How long a webhook's attempts may wait before a writer merges them into its Logs pages; a test delivery or a Resend waits at most a second. Longer saves the store a read and an insert per webhook and merge; a writer killed without its shutdown loses that long of the pages' rows, which the log keeps (docs/delivery-logs.md).",
    ),
};

export interface AttemptLogWriterOptions {
  service: string;
  retentionMs: number;
  /** WEBHOOKS_LOG_MERGE_DELAY_MS. */
  mergeDelayMs: number;
  /** Wraps each store write, for its metrics. */
  timedWrite: <T>(operation: string, write: () => Promise<T>) => Promise<T>;
  onFlushError: (error: unknown) => void;
  /** Each try of a merge of a webhook's newest rows, for its metric. */
  onMerge?: (result: MergeResult) => void;
  now?: () => number;
}

/**
 * What a delivering service writes after each attempt: the attempt log, in shared writes (one store round
 * trip serves every lane that has logs waiting); then, every second, its counts for the webhook list and
 * how replayed deliveries ended, and within the merge delay each webhook's newest attempts for its Logs
 * pages, so none of them reads the log.
 */
export function createAttemptLogWriter(db: Db, options: AttemptLogWriterOptions) {
  const now = options.now ?? Date.now;
  const repository = new AttemptLogRepository(db, { retentionMs: options.retentionMs, now });
  const activity = new ActivityRecorder(db, { service: options.service, now });
  const recent = new RecentAttempts(db, {
    now,
    mergeDelayMs: options.mergeDelayMs,
    flushEveryMs: summaryFlushMs,
    retentionMs: options.retentionMs,
    onMerge: options.onMerge,
  });
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
  const flush = (recentRows: { dueOnly: boolean }): Promise<void> => {
    const run = last
      .catch(() => undefined)
      .then(async () => {
        busy = true;
        try {
          await options.timedWrite('write_log_summaries', () =>
            Promise.all([activity.flush(), recent.flush(recentRows), replays.flush()]),
          );
        } finally {
          busy = false;
        }
      });
    last = run;
    return run;
  };
  const timer = setInterval(() => {
    if (!busy) flush({ dueOnly: true }).catch(options.onFlushError);
  }, summaryFlushMs);
  timer.unref();
  return {
    repository,
    writeLogs,
    /** A shutdown step, once the consumer has stopped: writes the last summaries. */
    stop: async () => {
      clearInterval(timer);
      await flush({ dueOnly: false });
    },
    /** Writes the summaries and merges every held row now, for a caller that cannot wait for them. */
    flush: () => flush({ dueOnly: false }),
  };
}
