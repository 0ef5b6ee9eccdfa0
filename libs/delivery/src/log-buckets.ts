import type { Db } from 'mongodb';
import { z } from 'zod';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

export const attemptLogEnv = {
  WEBHOOKS_LOG_RETENTION_DAYS: z.coerce
    .number()
    .min(1 / (24 * 60), 'must be at least one minute (0.000695)')
    .max(3_650, 'must be at most 3650')
    .default(30)
    .describe(
      'Attempts older than this are removed, a whole time bucket at a time; fractions allowed, for tests and soaks (docs/delivery-logs.md).',
    ),
};

export interface LogBucket {
  name: string;
  start: number;
  spanMs: number;
}

const prefix = 'delivery_attempts.';
const spans = [minute, 5 * minute, 15 * minute, hour];

/**
 * The bucket span a retention implies: the largest of one minute, five, fifteen or an hour that splits the
 * retention into at least 24 buckets, so that removing the oldest keeps within a 24th of the retention.
 */
export function bucketSpanFor(retentionMs: number): number {
  let chosen = minute;
  for (const span of spans) if (span * 24 <= retentionMs) chosen = span;
  return chosen;
}

export function retentionMsOf(days: number): number {
  return Math.round(days * day);
}

export function bucketFor(time: number, spanMs: number): LogBucket {
  const start = Math.floor(time / spanMs) * spanMs;
  return { name: `${prefix}${spanMs / minute}m.${start}`, start, spanMs };
}

export function parseBucket(name: string): LogBucket | undefined {
  const match = /^delivery_attempts\.(\d+)m\.(\d+)$/.exec(name);
  if (!match) return undefined;
  return { name, spanMs: Number(match[1]) * minute, start: Number(match[2]) };
}

/** Every bucket the store holds, newest first; buckets of another span (an earlier retention) included. */
export async function listBuckets(db: Db): Promise<LogBucket[]> {
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  return collections
    .map((collection) => parseBucket(collection.name))
    .filter((bucket): bucket is LogBucket => bucket !== undefined)
    .sort((a, b) => b.start - a.start || b.spanMs - a.spanMs);
}

export function bucketEnd(bucket: LogBucket): number {
  return bucket.start + bucket.spanMs;
}
