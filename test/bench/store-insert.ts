import { type AttemptLog, AttemptLogRepository } from '@wms-webhooks/delivery';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { MongoClient } from 'mongodb';
import { sampleAttemptLog } from '../support/sample-values';
import { percentile } from './stats';

/**
 * `npx tsx test/bench/store-insert.ts [documents per write] [writes]`: what one attempt log costs the
 * store, written as the sender writes them (its repository, its indexes, one insertMany per group
 * commit). Run it on an otherwise idle machine: the figure is the store's own cost per attempt, which
 * bounds deliveries per second no matter how fast the services are.
 */
const perWrite = Number(process.argv[2] ?? 1_400);
const writes = Number(process.argv[3] ?? 10);

function attempt(index: number): AttemptLog {
  // Ids as the pipeline makes them, spread over the index rather than appended to its end.
  return sampleAttemptLog({ webhookId: `webhook-${index % 100}`, goodsOwnerId: (index % 20) + 1 });
}

const endpoints = await resolveEndpoints({ start: true, log: (line) => console.log(line) });
const client = await MongoClient.connect(endpoints.mongodbUri);
const database = client.db(`store_insert_${Date.now()}`);
try {
  const logs = new AttemptLogRepository(database);
  const indexed = await logs.ensureIndexes();
  console.log(
    indexed
      ? 'with the log indexes {webhookId, startedAt, _id} and {deliveryId, attempt}'
      : 'without log indexes: this store would not read through them (see ensureIndexes)',
  );
  const durations: number[] = [];
  for (let write = 0; write < writes; write++) {
    const batch = Array.from({ length: perWrite }, (_, offset) => attempt(write * perWrite + offset));
    const started = performance.now();
    await logs.insertMany(batch);
    durations.push(performance.now() - started);
  }
  const perAttempt = (part: number[]) => (((percentile(part, 50) ?? 0) * 1000) / perWrite).toFixed(0);
  const median = percentile(durations, 50) ?? 0;
  console.log(
    `${writes} writes of ${perWrite} attempt logs to ${endpoints.mongodbUri}: median ${median.toFixed(0)} ms per write, ` +
      `${perAttempt(durations)} µs per attempt, at most ${Math.round((perWrite * 1000) / median)} attempts/s from one writer`,
  );
  // A store whose writes slow as the collection grows shows it here: the last tenth against the first.
  const tenth = Math.max(1, Math.floor(writes / 10));
  console.log(
    `first ${tenth} writes: ${perAttempt(durations.slice(0, tenth))} µs per attempt; ` +
      `last ${tenth}, with ${(writes - tenth) * perWrite} attempts already stored: ${perAttempt(durations.slice(-tenth))} µs`,
  );
} finally {
  await database.dropDatabase();
  await client.close();
}
