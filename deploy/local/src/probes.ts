import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import type { ProbeResult } from './component';

const probeTopic = '__wms_stack_probe';

function failure(error: unknown): ProbeResult {
  return { ok: false, error: error instanceof Error ? error.message : String(error) };
}

/** Ready means a record produced with acks=all comes back through a consumer group fetch. */
export async function probeKafka(brokers: string[], timeoutMs = 15_000): Promise<ProbeResult> {
  const kafka = new Kafka({
    clientId: 'wms-stack-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { retries: 2, initialRetryTime: 200 },
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const groupId = `wms-stack-probe-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const marker = randomUUID();
  const started = Date.now();
  try {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: probeTopic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] },
      ],
    });
    await producer.connect();
    await producer.send({ topic: probeTopic, acks: -1, messages: [{ value: marker }] });
    await consumer.connect();
    await consumer.subscribe({ topic: probeTopic, fromBeginning: true });
    const seen = new Promise<void>((resolveSeen) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.value?.toString() === marker) resolveSeen();
        },
      });
    });
    await withTimeout(seen, timeoutMs, 'the probe record did not come back');
    return { ok: true, detail: `produce/fetch round trip in ${Date.now() - started} ms` };
  } catch (error) {
    return failure(error);
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

/** Ready means Apicurio's readiness checks pass and its Confluent-compatible API answers. */
export async function probeRegistry(registryUrl: string): Promise<ProbeResult> {
  const root = new URL(registryUrl).origin;
  try {
    const health = await fetch(`${root}/health/ready`, { signal: AbortSignal.timeout(3_000) });
    const body = (await health.json().catch(() => ({}))) as { status?: string };
    if (!health.ok || body.status !== 'UP')
      return { ok: false, error: `/health/ready answered ${health.status}` };
    const subjects = await fetch(`${registryUrl}/subjects`, { signal: AbortSignal.timeout(3_000) });
    if (!subjects.ok) return { ok: false, error: `${registryUrl}/subjects answered ${subjects.status}` };
    const count = ((await subjects.json()) as unknown[]).length;
    return { ok: true, detail: `health UP, ${count} subject(s)` };
  } catch (error) {
    return failure(error);
  }
}

/** Ready means the MongoDB wire protocol answers a ping. */
export async function probeMongo(uri: string): Promise<ProbeResult> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2_000, connectTimeoutMS: 2_000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    const build = await client.db('admin').command({ buildInfo: 1 });
    const ferret = (build.ferretdbVersion as string | undefined) ?? undefined;
    return {
      ok: true,
      detail: ferret ? `ping ok (FerretDB ${ferret})` : `ping ok (MongoDB ${build.version})`,
    };
  } catch (error) {
    return failure(error);
  } finally {
    await client.close().catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
