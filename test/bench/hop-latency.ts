import { resolveEndpoints } from '@wms-webhooks/endpoints';
import {
  allReady,
  createDurableProducer,
  createKafkaClient,
  ensureTopics,
  kafkaSecurityFromEnv,
  runLaneConsumer,
} from '@wms-webhooks/kafka';
import { serviceEnv } from '@wms-webhooks/service-runtime';
import { percentile } from './stats';

/**
 * One Kafka hop's latency, as each service sees it: records produced one at a time at a steady rate to a
 * topic of 12 partitions, taken by a lane consumer with the services' fetch settings, timed from send to
 * handle. `npx tsx test/bench/hop-latency.ts [records/s] [seconds]`; KAFKA_FETCH_MIN_BYTES,
 * KAFKA_FETCH_MAX_WAIT_MS and KAFKA_COMMIT_INTERVAL_MS as for a service, defaults from its config schema.
 */
const rate = Number(process.argv[2] ?? 300);
const seconds = Number(process.argv[3] ?? 20);
const endpoints = await resolveEndpoints({ start: true, log: (line) => console.error(line) });
const kafka = createKafkaClient({
  clientId: 'wms-hop-latency',
  brokers: endpoints.kafkaBrokers,
  security: kafkaSecurityFromEnv(),
});
const topic = `bench.hop-latency.${Date.now()}`;
const admin = kafka.admin();
await ensureTopics(admin, [
  {
    name: topic,
    partitions: 12,
    cleanupPolicy: 'delete',
    retentionMs: 3_600_000,
    maxMessageBytes: 1_048_576,
  },
]);
const producer = createDurableProducer(kafka);
const latencies: number[] = [];
const consumer = await runLaneConsumer({
  kafka,
  groupId: topic,
  topic,
  logger: { info() {}, warn() {}, error: (details, message) => console.error(message, details) },
  fetchMinBytes: serviceEnv.KAFKA_FETCH_MIN_BYTES.parse(process.env.KAFKA_FETCH_MIN_BYTES),
  fetchMaxWaitMs: serviceEnv.KAFKA_FETCH_MAX_WAIT_MS.parse(process.env.KAFKA_FETCH_MAX_WAIT_MS),
  commitIntervalMs: serviceEnv.KAFKA_COMMIT_INTERVAL_MS.parse(process.env.KAFKA_COMMIT_INTERVAL_MS),
  prepare: allReady,
  handle: async (records) => {
    for (const record of records) latencies.push(Date.now() - Number(String(record.value)));
  },
});
const total = rate * seconds;
for (let index = 0; index < total; index++) {
  void producer.send(topic, [{ key: `key-${index}`, value: Buffer.from(String(Date.now())) }]);
  await new Promise((tick) => setTimeout(tick, 1000 / rate));
}
const deadline = Date.now() + 10_000;
while (latencies.length < total && Date.now() < deadline) await new Promise((tick) => setTimeout(tick, 50));
// The first 3 s hold the group join and the JIT's warm-up.
const measured = latencies.slice(rate * 3);
console.log(
  JSON.stringify({
    rate,
    seconds,
    received: latencies.length,
    p50: percentile(measured, 50),
    p95: percentile(measured, 95),
    p99: percentile(measured, 99),
  }),
);
await consumer.stop();
await producer.close();
await admin.deleteTopics([topic]);
await admin.close();
process.exit(latencies.length === total ? 0 : 2);
