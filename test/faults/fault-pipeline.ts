import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { newApiKey } from '@wms-webhooks/access';
import { catalogueSchema, topicCatalogue, topicNames, type WmsEvent } from '@wms-webhooks/contracts';
import { deliveryIdFor } from '@wms-webhooks/delivery';
import type { Endpoints } from '@wms-webhooks/endpoints';
import {
  AvroSerde,
  AvroTopicProducer,
  createDurableProducer,
  createKafkaClient,
  createSchemaRegistry,
  kafkaSecurityFromEnv,
  type OutgoingRecord,
  readToEnd,
} from '@wms-webhooks/kafka';
import { newSecretKey } from '@wms-webhooks/secrets';
import { launchService, type RunningService, stopServices, waitUntilReady } from '@wms-webhooks/tools';
import { MongoClient } from 'mongodb';
import { scrapeGauge } from '../bench/bench-services';
import { freePorts } from '../support/free-port';
import type { SideCluster } from '../support/side-cluster';
import { stackEnv } from '../support/stack-env';
import { FaultReceiver } from './fault-receiver';
import { ProgressMonitor } from './progress-monitor';

const tiers = ['1m', '5m', '15m', '30m', '2h'] as const;
const serviceLabels = [
  'api',
  'ingester',
  'matcher',
  'sender',
  ...tiers.map((tier) => `retrier-${tier}`),
  'notifier',
];
/** Second replicas, which a case starts and stops itself: each joins its service's consumer group. */
const spareLabels = ['matcher-2', 'sender-2'];

export type ServiceLabel = (typeof serviceLabels)[number];

/**
 * One case's pipeline: every service as its own process under the supervisor, with its own topic prefix
 * and database, a loopback receiver, a WMS-side producer, and a progress monitor on the consumer groups.
 */
export async function startFaultPipeline(
  name: string,
  endpoints: Endpoints,
  logsDir: string,
  extraEnv: Record<string, string> = {},
  cluster?: SideCluster,
) {
  const stamp = `${name}-${Date.now()}`;
  const prefix = `faults-${stamp}.`;
  const database = `faults_${stamp.replaceAll('-', '_')}`;
  const topics = topicNames(prefix);
  const adminKey = newApiKey();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...stackEnv(endpoints, { prefix, database }),
    LOG_LEVEL: 'info',
    WEBHOOKS_ALLOWED_TARGETS: '127.0.0.0/8',
    WEBHOOKS_ADMIN_KEY: adminKey,
    WEBHOOKS_SECRET_KEYS: newSecretKey('faults'),
    // A killed member's partitions move on after this, not after the default 30 s.
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    // The notifier consumes webhooks.dead; no case makes it mail anyone, so nothing listens here.
    SMTP_URL: 'smtp://127.0.0.1:9',
    ...extraEnv,
  };
  const receiver = await new FaultReceiver().start();
  const caseLogs = join(logsDir, name);
  mkdirSync(caseLogs, { recursive: true });

  const allLabels = [...serviceLabels, ...spareLabels];
  const chosen = await freePorts(allLabels.length);
  const ports = new Map(allLabels.map((label, index) => [label, chosen[index] as number]));
  const running = new Map<ServiceLabel, RunningService>();
  const launch = (label: ServiceLabel) => {
    const port = ports.get(label) as number;
    const tier = label.startsWith('retrier-') ? label.slice('retrier-'.length) : undefined;
    const service = launchService(
      {
        name: label.split('-')[0] as string,
        label,
        readyUrl: `http://127.0.0.1:${port}/readyz`,
        env: {
          ...env,
          ...(label === 'api' ? { API_PORT: String(port) } : { OPS_PORT: String(port) }),
          ...(tier ? { RETRY_TIER: tier } : {}),
        },
      },
      caseLogs,
    );
    running.set(label, service);
    return service;
  };
  await Promise.all(serviceLabels.map((label) => waitUntilReady(launch(label), 120_000)));
  const opsUrl = (label: ServiceLabel) => `http://127.0.0.1:${ports.get(label)}`;

  const kafka = createKafkaClient({
    clientId: `faults-${name}`,
    brokers: endpoints.kafkaBrokers,
    security: kafkaSecurityFromEnv(),
  });
  const admin = kafka.admin();
  const limits = new Map(
    Object.values(topicCatalogue(prefix)).map(({ spec }) => [spec.name, spec.maxMessageBytes]),
  );
  const producer = createDurableProducer(kafka, { maxMessageBytes: (topic) => limits.get(topic) });
  const serde = new AvroSerde(createSchemaRegistry(endpoints.schemaRegistryUrl));
  await serde.register(topics.wmsEvents, catalogueSchema(topicCatalogue(prefix).wmsEvents));
  const wms = new AvroTopicProducer<WmsEvent>(producer, serde, topics.wmsEvents);
  const groupOf = (service: string) => `${prefix}wms-webhooks-${service}`;
  const monitor = new ProgressMonitor(admin, [
    { groupId: groupOf('ingester'), topic: topics.wmsEvents },
    { groupId: groupOf('matcher'), topic: topics.acceptedEvents },
    { groupId: groupOf('sender'), topic: topics.deliveries },
  ]);
  monitor.start();
  const webhookCount = { created: 0 };

  return {
    name,
    /** The three-node cluster the case runs on, when it asked for one. */
    cluster,
    prefix,
    topics,
    receiver,
    monitor,
    serde,
    producer,
    opsUrl,
    groupOf,
    /** Creates webhooks through the API and waits until every matcher and sender holds them. */
    async createWebhooks(bodies: object[]): Promise<string[]> {
      const ids: string[] = [];
      for (const body of bodies) {
        const response = await fetch(`${opsUrl('api')}/api/webhooks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
          body: JSON.stringify(body),
        });
        if (response.status !== 201)
          throw new Error(`creating a webhook: ${response.status} ${await response.text()}`);
        ids.push(((await response.json()) as { id: string }).id);
      }
      webhookCount.created += bodies.length;
      for (const label of ['matcher', 'sender'] as const) {
        const deadline = Date.now() + 30_000;
        while ((await scrapeGauge(opsUrl(label), 'wms_webhooks_definitions_cached')) < webhookCount.created) {
          if (Date.now() > deadline)
            throw new Error(`${label} did not load ${webhookCount.created} webhooks`);
          await new Promise((tick) => setTimeout(tick, 100));
        }
      }
      return ids;
    },
    /** Publishes events keyed by entity, as the WMS does; resolves once they are on wms.events. */
    publish: (events: WmsEvent[]) => wms.send(events.map((event) => ({ key: event.entityId, value: event }))),
    sendRaw: (topic: string, records: OutgoingRecord[]) => producer.send(topic, records),
    expectedIds: (events: WmsEvent[], webhookIds: string[]) =>
      new Set(events.flatMap((event) => webhookIds.map((id) => deliveryIdFor(event.eventId, id)))),
    /** Records filed in webhooks.quarantine and wms.events.invalid. */
    async filed() {
      const records = await readToEnd(kafka, [topics.quarantine, topics.wmsEventsInvalid], {
        timeoutMs: 60_000,
      });
      return {
        quarantined: records.filter((record) => record.topic === topics.quarantine).length,
        invalid: records.filter((record) => record.topic === topics.wmsEventsInvalid).length,
      };
    },
    async lag(service: 'ingester' | 'matcher' | 'sender', topic: string) {
      const lags = await admin.consumerLag(groupOf(service), topic);
      return lags.reduce((sum, entry) => sum + entry.lag, 0);
    },
    async stopService(label: ServiceLabel) {
      await stopServices([running.get(label) as RunningService]);
    },
    killService(label: ServiceLabel) {
      running.get(label)?.child.kill('SIGKILL');
      return running.get(label)?.exited;
    },
    async startService(label: ServiceLabel) {
      await waitUntilReady(launch(label), 120_000);
    },
    async healthz(label: ServiceLabel) {
      try {
        return (await fetch(`${opsUrl(label)}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok;
      } catch {
        return false;
      }
    },
    async close() {
      monitor.stop();
      await stopServices([...running.values()]);
      await producer.close();
      await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
      await admin.close();
      await receiver.stop();
      const mongo = new MongoClient(endpoints.mongodbUri);
      await mongo.connect().catch(() => undefined);
      await mongo
        .db(database)
        .dropDatabase()
        .catch(() => undefined);
      await mongo.close();
    },
  };
}

export type FaultPipeline = Awaited<ReturnType<typeof startFaultPipeline>>;
