import { groupCommit } from '@wms-webhooks/kafka';
import type { Db } from 'mongodb';
import { type AttemptLog, AttemptLogRepository } from './attempt-log';
import { ActivityRecorder, flushPeriodically } from './webhook-activity';

/** How stale the webhook list's counts may be: each writer rewrites its one document this often. */
const activityFlushMs = 1_000;

export interface AttemptLogWriterOptions {
  service: string;
  retentionMs: number;
  /** Wraps each store write, for its metrics. */
  timedWrite: <T>(operation: string, write: () => Promise<T>) => Promise<T>;
  onFlushError: (error: unknown) => void;
}

/**
 * What a delivering service writes after each attempt: the attempt log, in shared writes (one store round
 * trip serves every lane that has logs waiting), and its counts for the webhook list.
 */
export function createAttemptLogWriter(db: Db, options: AttemptLogWriterOptions) {
  const repository = new AttemptLogRepository(db, { retentionMs: options.retentionMs });
  const activity = new ActivityRecorder(db, { service: options.service });
  const flusher = flushPeriodically(activity, activityFlushMs, options.onFlushError);
  const writeLogs = groupCommit<AttemptLog>(async (logs) => {
    await options.timedWrite('insert_attempt_logs', () => repository.insertMany(logs));
    activity.record(logs);
  });
  return {
    repository,
    writeLogs,
    /** A shutdown step: writes the last counts once the consumer has stopped. */
    stop: () => flusher.stop(),
  };
}
