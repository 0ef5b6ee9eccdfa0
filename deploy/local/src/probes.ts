import { randomUUID } from 'node:crypto';
import { Admin, Consumer, MessagesStreamModes, ProduceAcks, Producer } from '@platformatic/kafka';
import { MongoClient } from 'mongodb';
import type { ProbeResult } from './component';

const probeTopic = '__wms_stack_probe';

function failure(error: unknown): ProbeResult {
  return { ok: false, error: error instanceof Error ? error.message : String(error) };
}

/**
 * Ready means a record produced with acks=all comes back through a consumer group fetch. On a cluster
 * the probe topic has a copy on each of `replicas` nodes, so a write needs the cluster's in-sync minimum.
 */
export async function probeKafka(
  brokers: string[],
  { replicas = 1, timeoutMs = 15_000 }: { replicas?: number; timeoutMs?: number } = {},
): Promise<ProbeResult> {
  const connection = { bootstrapBrokers: brokers, connectTimeout: 2_000, retries: 2, retryDelay: 200 };
  const admin = new Admin({ ...connection, clientId: 'wms-stack-probe-admin' });
  const producer = new Producer({
    ...connection,
    clientId: 'wms-stack-probe-producer',
    autocreateTopics: false,
  });
  const groupId = `wms-stack-probe-${randomUUID()}`;
  const consumer = new Consumer({
    ...connection,
    clientId: 'wms-stack-probe-consumer',
    groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const marker = randomUUID();
  const started = Date.now();
  try {
    if (!(await admin.listTopics()).includes(probeTopic)) {
      await admin.createTopics({
        topics: [probeTopic],
        partitions: 1,
        replicas,
        configs: [{ name: 'retention.ms', value: '3600000' }],
      });
    }
    await producer.send({
      acks: ProduceAcks.ALL,
      messages: [{ topic: probeTopic, value: Buffer.from(marker) }],
    });
    const stream = await consumer.consume({
      topics: [probeTopic],
      mode: MessagesStreamModes.EARLIEST,
      autocommit: false,
      maxWaitTime: 200,
    });
    const seen = new Promise<void>((resolveSeen) => {
      stream.on('data', (message) => {
        if (message.value?.toString() === marker) resolveSeen();
      });
    });
    await withTimeout(seen, timeoutMs, 'the probe record did not come back').finally(() => stream.close());
    return { ok: true, detail: `produce/fetch round trip in ${Date.now() - started} ms` };
  } catch (error) {
    return failure(error);
  } finally {
    // A client that never connected can throw from close() itself, not only reject: both are settled here.
    await Promise.allSettled([consumer, producer].map(async (client) => client.close(true)));
    await admin.deleteGroups({ groups: [groupId] }).catch(() => undefined);
    await admin.close().catch(() => undefined);
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
