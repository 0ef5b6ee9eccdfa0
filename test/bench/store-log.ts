import { parseArgs } from 'node:util';
import {
  type AttemptLog,
  AttemptLogRepository,
  createAttemptLogWriter,
  keepLogRetention,
  logMergeEnv,
  readActivity,
} from '@wms-webhooks/delivery';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { sampleAttemptLog } from '../support/sample-values';
import { skewedPick } from '../support/skewed-pick';
import { percentile } from './stats';

/**
 * `npm run bench:store -- [--attempts N] [--webhooks N] [--hours N] [--batch N] [--reads N] [--deep-reads N]`: grows an
 * attempt log through the sender's own writer (its repository, its activity counts, one write per group
 * commit) to N attempts spread over the last `hours`, then measures what operators wait for: a Logs
 * page, a page of failures, the third and twentieth pages, the webhook list of 50, the Logs filtered by a
 * delivery (from the oldest hour, the newest, and one not in the log) and a resend's search for its
 * attempts, and what retention takes to index the pages and to remove a day.
 * See docs/delivery-logs.md for the figures and how to read them.
 */
const { values } = parseArgs({
  options: {
    attempts: { type: 'string', default: '1000000' },
    webhooks: { type: 'string', default: '200' },
    hours: { type: 'string', default: '48' },
    batch: { type: 'string', default: '1400' },
    reads: { type: 'string', default: '40' },
    'deep-reads': { type: 'string', default: '40' },
    'fail-share': { type: 'string', default: '0.05' },
    keep: { type: 'boolean', default: false },
  },
});
const attempts = Number(values.attempts);
const webhookCount = Number(values.webhooks);
const spanMs = Number(values.hours) * 3_600_000;
const batchSize = Number(values.batch);
const reads = Number(values.reads);
const deepReads = Number(values['deep-reads']);
const failShare = Number(values['fail-share']);
const day = 86_400_000;

const webhookIds = Array.from({ length: webhookCount }, (_, index) => `webhook-${index}`);
const pickWebhook = skewedPick(webhookIds);

function attemptAt(startedAt: Date): AttemptLog {
  const failed = Math.random() < failShare;
  return sampleAttemptLog({
    webhookId: pickWebhook(),
    startedAt,
    ...(failed
      ? { outcome: 'failed', statusCode: 503, errorKind: 'status', error: 'HTTP 503', final: false }
      : {}),
  });
}

async function timed(samples: number[], read: () => Promise<unknown>) {
  const started = performance.now();
  await read();
  samples.push(performance.now() - started);
}

const summary = (samples: number[]) =>
  `p50 ${percentile(samples, 50)?.toFixed(0)} ms, p95 ${percentile(samples, 95)?.toFixed(0)} ms (${samples.length} reads)`;

const endpoints = await resolveEndpoints({ start: true, log: (line) => console.log(line) });
const client = await MongoClient.connect(endpoints.mongodbUri);
const database = client.db(`store_log_${Date.now()}`);
const end = Date.now();
const start = end - spanMs;
try {
  const writer = createAttemptLogWriter(database, {
    service: 'bench',
    retentionMs: 30 * day,
    mergeDelayMs: logMergeEnv.WEBHOOKS_LOG_MERGE_DELAY_MS.parse(undefined),
    timedWrite: (_operation, write) => write(),
    onFlushError: (error) => console.error('activity not written', error),
  });
  const indexed = await writer.repository.ensureIndexes();
  console.log(
    `${attempts} attempts over ${webhookCount} webhooks and ${values.hours} h, ${batchSize} a write, ` +
      `${indexed ? 'with' : 'without'} per-bucket indexes, into ${endpoints.mongodbUri}`,
  );
  const writeStarted = performance.now();
  let written = 0;
  let lastReport = writeStarted;
  while (written < attempts) {
    const count = Math.min(batchSize, attempts - written);
    const at = new Date(start + Math.floor((written / attempts) * spanMs));
    await writer.writeLogs(Array.from({ length: count }, () => attemptAt(at)));
    written += count;
    if (performance.now() - lastReport > 30_000) {
      lastReport = performance.now();
      const rate = written / ((lastReport - writeStarted) / 1000);
      console.log(`  ${written} written, ${rate.toFixed(0)} attempts/s so far`);
    }
  }
  await writer.stop();
  const writeSeconds = (performance.now() - writeStarted) / 1000;
  console.log(
    `writes: ${(attempts / writeSeconds).toFixed(0)} attempts/s (${writeSeconds.toFixed(0)} s in all)`,
  );

  const logs = new AttemptLogRepository(database, { retentionMs: 30 * day, now: () => end });
  const pagesSize = async () => {
    let bytes = 0;
    let collections = 0;
    for (const { name } of await database.listCollections({}, { nameOnly: true }).toArray()) {
      if (!name.startsWith('webhook_pages.')) continue;
      const collection = await database.command({ collStats: name });
      bytes += Number(collection.storageSize ?? collection.size ?? 0);
      collections += 1;
    }
    return `${(bytes / 1e6).toFixed(0)} MB in ${collections} collections, ${(bytes / attempts).toFixed(0)} bytes per attempt`;
  };
  const stats = await logs.stats();
  console.log(
    `size: ${(stats.bytes / 1e6).toFixed(0)} MB in ${stats.buckets} buckets, ${(stats.bytes / attempts).toFixed(0)} bytes per attempt; ` +
      `of which pages ${await pagesSize()}`,
  );

  const pages: number[] = [];
  const nextPages: number[] = [];
  const failedPages: number[] = [];
  const lists: number[] = [];
  for (let read = 0; read < reads; read++) {
    const webhookId = webhookIds[read % webhookCount] as string;
    await timed(pages, () => logs.page(webhookId, { limit: 50 }));
    await timed(failedPages, () => logs.page(webhookId, { limit: 50, outcome: 'failed' }));
    const shown = Array.from(
      { length: 50 },
      (_, offset) => webhookIds[(read * 50 + offset) % webhookCount] as string,
    );
    await timed(lists, () => readActivity(database, shown, end));
  }
  // Pages past the newest rows are read from the chains of pages, by number: the third page and the
  // twentieth, for webhooks from the busiest to the quietest.
  const deepPages: number[] = [];
  for (let read = 0; read < deepReads; read++) {
    const webhookId = webhookIds[
      Math.floor((read * (webhookCount - 1)) / Math.max(1, deepReads - 1))
    ] as string;
    let cursor: string | undefined;
    for (let page = 1; page <= 20; page++) {
      const started = performance.now();
      const { nextCursor } = await logs.page(webhookId, { limit: 50, cursor });
      if (page === 3) nextPages.push(performance.now() - started);
      if (page === 20) deepPages.push(performance.now() - started);
      if (!nextCursor) break;
      cursor = nextCursor;
    }
  }
  // What the api's retention pass does within a minute of a generation of pages closing: index it.
  const indexStarted = performance.now();
  const retention = keepLogRetention(database, logs, {
    registry: new Registry(),
    intervalMs: day,
    now: () => end,
    onError: (error) => console.error('retention pass failed', error),
    onRemoved: () => undefined,
    indexingBudgetMs: Number.POSITIVE_INFINITY,
  });
  await retention.runOnce();
  await retention.stop();
  const indexMs = performance.now() - indexStarted;
  const indexedPages = await pagesSize();

  // Deliveries of the log's oldest hour and its newest full one, of whichever webhooks they went to (the
  // newest bucket may hold a few attempts only, all among the newest rows).
  const buckets = (await database.listCollections({}, { nameOnly: true }).toArray())
    .map(({ name }) => name)
    .filter((name) => name.startsWith('delivery_attempts.'))
    .sort();
  // One delivery a document: a failure names its own, a pack of successes lists those of its attempts.
  const sampled = async (bucket: string | undefined) =>
    bucket
      ? (
          await database
            .collection<{ webhookId: string; deliveryId?: string; deliveryIds?: string[] }>(bucket)
            .find({}, { projection: { webhookId: 1, deliveryId: 1, deliveryIds: 1 } })
            .limit(reads)
            .toArray()
        ).map(({ webhookId, deliveryId, deliveryIds }) => ({
          webhookId,
          deliveryId: deliveryId ?? deliveryIds?.[0] ?? '',
        }))
      : [];
  const oldestDeliveries: number[] = [];
  const newestDeliveries: number[] = [];
  const absentDeliveries: number[] = [];
  const resends: number[] = [];
  let unfound = 0;
  for (const [samples, deliveries] of [
    [oldestDeliveries, await sampled(buckets[0])],
    [newestDeliveries, await sampled(buckets[buckets.length - 2])],
  ] as const) {
    for (const { webhookId, deliveryId } of deliveries) {
      await timed(samples, async () => {
        const { items } = await logs.page(webhookId, { limit: 50, deliveryId });
        if (items.length === 0) unfound += 1;
      });
      await timed(resends, () => logs.attemptsOf(webhookId, deliveryId));
    }
  }
  for (let read = 0; read < reads; read++) {
    const webhookId = webhookIds[read % Math.min(10, webhookCount)] as string;
    await timed(absentDeliveries, () => logs.page(webhookId, { limit: 50, deliveryId: `absent-${read}` }));
  }

  console.log(`Logs page (50, newest first): ${summary(pages)}`);
  console.log(`third page: ${summary(nextPages)}`);
  console.log(`twentieth page: ${summary(deepPages)}`);
  console.log(`outcome=failed page: ${summary(failedPages)}`);
  console.log(`webhook list of 50: ${summary(lists)}`);
  console.log(`Logs of a delivery from the oldest hour: ${summary(oldestDeliveries)}`);
  console.log(`Logs of a delivery from the newest full hour: ${summary(newestDeliveries)}`);
  console.log(`Logs of a delivery not in the log (the 10 busiest webhooks): ${summary(absentDeliveries)}`);
  console.log(`a resend's attempts of a delivery (no attempt id): ${summary(resends)}`);
  if (unfound > 0) console.log(`  ${unfound} sampled deliveries were not found: the lookup is wrong`);
  console.log(
    `retention pass, indexing the closed generations of pages: ${indexMs.toFixed(0)} ms; pages then ${indexedPages}`,
  );

  // Retention of one day: everything older than a day is the first day of the log.
  const oneDay = new AttemptLogRepository(database, { retentionMs: day, now: () => end });
  const removeStarted = performance.now();
  const removed = await oneDay.removeExpired();
  console.log(
    `retention: removed ${removed.length} buckets (the log's oldest ${((spanMs - day) / 3_600_000).toFixed(0)} h) in ${(performance.now() - removeStarted).toFixed(0)} ms`,
  );
} finally {
  if (!values.keep) await database.dropDatabase();
  await client.close();
}
