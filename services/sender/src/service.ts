import { loadConfig, positiveInt } from '@wms-webhooks/config';
import type { DeliveryTask } from '@wms-webhooks/contracts';
import {
  AttemptLogRepository,
  type AttemptOutcome,
  createDeliveryClient,
  processDeliveries,
} from '@wms-webhooks/delivery';
import {
  createServiceContext,
  listenPort,
  runBatchConsumer,
  serviceEnv,
  startOpsServer,
} from '@wms-webhooks/service-runtime';
import { DefinitionCache, followDefinitions, WebhookRepository } from '@wms-webhooks/webhooks';
import { Counter, Histogram } from 'prom-client';
import { z } from 'zod';

const senderEnv = z.object({
  ...serviceEnv,
  OPS_PORT: listenPort(9103),
  SENDER_GROUP_ID: z.string().default('wms-webhooks-sender'),
  SENDER_CONCURRENCY: positiveInt().default(64),
  SENDER_MAX_SOCKETS_PER_HOST: positiveInt().default(50),
  DEFINITIONS_RESYNC_MS: positiveInt().default(60_000),
});

function statusClass(outcome: AttemptOutcome): string {
  if (outcome.statusCode !== null) return `${Math.floor(outcome.statusCode / 100)}xx`;
  return outcome.outcome === 'failed' ? outcome.kind : 'unknown';
}

export async function startSender(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(senderEnv, env);
  const context = await createServiceContext({
    service: 'sender',
    env,
    logLevel: config.LOG_LEVEL,
    topicPrefix: config.WEBHOOKS_TOPIC_PREFIX,
    database: config.MONGODB_DATABASE,
  });
  const { logger, metrics, topics } = context;
  const attempts = new Counter({
    name: 'wms_webhooks_delivery_attempts_total',
    help: 'Delivery attempts by outcome and status class (2xx..5xx, timeout, connect, dns, tls, network).',
    labelNames: ['outcome', 'status_class'],
    registers: [metrics],
  });
  const httpDuration = new Histogram({
    name: 'wms_webhooks_delivery_http_duration_seconds',
    help: 'Time from sending the request to its answer or failure.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [metrics],
  });
  const endToEnd = new Histogram({
    name: 'wms_webhooks_delivery_end_to_end_seconds',
    help: 'From the event occurring to its successful delivery.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    registers: [metrics],
  });

  const attemptLogs = new AttemptLogRepository(context.db);
  await attemptLogs.ensureIndexes();
  const cache = new DefinitionCache(new WebhookRepository(context.db));
  const follower = await followDefinitions({
    kafka: context.kafka,
    serde: context.serde,
    topic: topics.definitions,
    cache,
    groupPrefix: `${config.WEBHOOKS_TOPIC_PREFIX}wms-webhooks-sender-definitions`,
    resyncIntervalMs: config.DEFINITIONS_RESYNC_MS,
    onError: (error, what) => logger.error({ err: error }, `definitions: ${what} failed`),
  });
  await follower.ready;
  const client = createDeliveryClient({ maxSocketsPerHost: config.SENDER_MAX_SOCKETS_PER_HOST });

  const consumer = await runBatchConsumer({
    kafka: context.kafka,
    groupId: `${config.WEBHOOKS_TOPIC_PREFIX}${config.SENDER_GROUP_ID}`,
    topic: topics.deliveries,
    logger,
    handle: async (messages) => {
      const tasks: DeliveryTask[] = [];
      for (const message of messages) {
        if (message.value) tasks.push(await context.serde.decode<DeliveryTask>(message.value));
      }
      await processDeliveries(
        {
          client,
          webhookById: (id) => cache.get(id),
          writeLogs: (logs) => attemptLogs.insertMany(logs),
          now: Date.now,
          concurrency: config.SENDER_CONCURRENCY,
          onAttempt: (task, outcome, log) => {
            attempts.inc({ outcome: outcome.outcome, status_class: statusClass(outcome) });
            httpDuration.observe(outcome.durationMs / 1000);
            if (outcome.outcome === 'succeeded') endToEnd.observe((Date.now() - task.occurredAt) / 1000);
            const fields = {
              deliveryId: task.deliveryId,
              webhookId: task.webhookId,
              eventId: task.eventId,
              attempt: task.attempt,
            };
            if (outcome.outcome === 'succeeded')
              logger.debug({ ...fields, statusCode: outcome.statusCode }, 'delivered');
            else logger.info({ ...fields, statusCode: log.statusCode, error: log.error }, 'delivery failed');
          },
        },
        tasks,
      );
    },
  });
  const ops = await startOpsServer({
    host: config.OPS_HOST,
    port: config.OPS_PORT,
    metrics,
    readiness: {
      kafka: () => {
        if (!consumer.isJoined()) throw new Error('consumer has not joined its group');
      },
      definitions: () => {
        if (!follower.isReady()) throw new Error('definitions not loaded yet');
      },
      store: async () => void (await context.db.command({ ping: 1 })),
    },
  });
  logger.info({ ops: ops.url, definitions: cache.size }, 'sender running');
  return {
    context,
    ops,
    cache,
    shutdownSteps: [
      {
        name: 'stop consuming (finishes the deliveries in flight, logs them, commits)',
        run: () => consumer.stop(),
      },
      { name: 'stop following definitions', run: () => follower.stop() },
      {
        name: 'close connections',
        run: async () => {
          client.close();
          await context.close();
        },
      },
      { name: 'close ops server', run: () => ops.close() },
    ],
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  };
}
