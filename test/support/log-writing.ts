import {
  type AttemptLog,
  type AttemptLogRepository,
  createAttemptLogWriter,
  keepLogRetention,
  type MergeResult,
} from '@wms-webhooks/delivery';
import type { Db } from 'mongodb';
import { Registry } from 'prom-client';
import { afterAll, beforeAll } from 'vitest';
import { dropQuietly, type monitoredStore } from './monitored-store';
import { sampleAttemptLog } from './sample-values';

/** What the tests of the chains of pages share: a writer as the services make it, attempts and a retention run. */
export const hour = 3_600_000;
export const day = 24 * hour;
export const now = Date.UTC(2026, 10, 23, 12, 30);

export function writer(
  database: Db,
  service: string,
  { onMerge }: { onMerge?: (result: MergeResult) => void } = {},
) {
  return createAttemptLogWriter(database, {
    service,
    retentionMs: 30 * day,
    mergeDelayMs: 1_000,
    timedWrite: (_operation, write) => write(),
    onFlushError: () => undefined,
    onMerge,
    now: () => now,
  });
}

/** Logs the attempts and merges them a hundred at a time, as a sender under steady traffic would. */
async function logInHundreds(sender: ReturnType<typeof writer>, attempts: readonly AttemptLog[]) {
  for (let next = 0; next < attempts.length; next += 100) {
    await sender.writeLogs(attempts.slice(next, next + 100));
    await sender.flush();
  }
}

/**
 * For a describe block: connects the store and logs the attempts a hundred at a time before its tests,
 * and stops the sender and drops the database after them.
 */
export function logBeforeAll(
  store: ReturnType<typeof monitoredStore>,
  sender: ReturnType<typeof writer>,
  attempts: readonly AttemptLog[],
) {
  beforeAll(async () => {
    await store.client.connect();
    await logInHundreds(sender, attempts);
  });
  afterAll(async () => {
    await sender.stop();
    await dropQuietly(store.database, store.client);
  });
}

/** `count` attempts of one webhook, oldest first, `every` ms apart up to `end`; every tenth failed. */
export function attemptsOf(webhookId: string, count: number, { end = now, every = 15_000, offset = 0 } = {}) {
  return Array.from({ length: count }, (_, index) =>
    sampleAttemptLog({
      webhookId,
      deliveryId: `d-${offset + index}`,
      startedAt: new Date(end - (count - index) * every),
      ...((offset + index) % 10 === 3
        ? { outcome: 'failed', statusCode: 503, errorKind: 'status', error: 'HTTP 503' }
        : {}),
    }),
  );
}

/** Every page, newest first, as the Logs view walks them with the cursor. */
export async function pageThrough(
  logs: AttemptLogRepository,
  webhookId: string,
  options: { outcome?: 'succeeded' | 'failed'; limit?: number } = {},
) {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await logs.page(webhookId, { limit: options.limit ?? 50, outcome: options.outcome, cursor });
    seen.push(...page.items.map((item) => item.deliveryId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return seen;
}

/** The layout docs/delivery-logs.md describes, as a test writes it to stand for another writer. */
export interface StoredChunk {
  _id: string;
  rows: string;
  newest: Date;
}

export function recentVersions(database: Db, webhookId: string) {
  return database.collection<{ _id: number; updatedAt: Date; rows: string; failures: string }>(
    `webhook_recent.${webhookId}`,
  );
}

/** One run of the api's retention, as it runs every interval. */
export async function runRetentionOnce(
  database: Db,
  logs: AttemptLogRepository,
  { indexingBudgetMs }: { indexingBudgetMs?: number } = {},
) {
  const retention = keepLogRetention(database, logs, {
    indexingBudgetMs,
    registry: new Registry(),
    intervalMs: 3_600_000,
    now: () => now,
    onError: (error) => {
      throw error;
    },
    onRemoved: () => undefined,
  });
  await retention.runOnce();
  await retention.stop();
}

export const newestFirst = (attempts: AttemptLog[]) =>
  attempts.map((attempt) => attempt.deliveryId).reverse();
export const bucketsIn = (collections: string[]) =>
  collections.filter((name) => name.startsWith('delivery_attempts'));
