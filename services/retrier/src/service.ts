import { loadConfig, positiveInt } from '@wms-webhooks/config';
import type { DeliveryTask } from '@wms-webhooks/contracts';
import {
  attemptLogEnv,
  createAttemptLogWriter,
  createDeliveryClient,
  createDeliveryMetrics,
  createDeliveryQueue,
  createDeliveryRoutes,
  type DeliveryDeps,
  deliverBatch,
  retentionMsOf,
  retryTiers,
  retryTopic,
  tierFetchWaitMs,
} from '@wms-webhooks/delivery';
import { loadSecretBox, secretKeyEnv } from '@wms-webhooks/secrets';
import {
  consume,
  createServiceContext,
  createStoreMetrics,
  dueRecords,
  serveConsumer,
  serviceEnv,
  targetPolicyOf,
} from '@wms-webhooks/service-runtime';
import { WebhookRepository } from '@wms-webhooks/webhooks';
import { Gauge, Histogram } from 'prom-client';
import { z } from 'zod';

const retrierEnv = z.object({
  ...serviceEnv,
  ...secretKeyEnv,
  ...attemptLogEnv,
  RETRY_TIER: z.enum(retryTiers, { error: `must be one of ${retryTiers.join(', ')}` }),
  /** Defaults to 9111 for 1m … 9115 for 2h, so all tiers run side by side. */
  OPS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Attempts in flight at once, over all partitions; one webhook's go one at a time. */
  RETRIER_CONCURRENCY: positiveInt().default(128),
  RETRIER_GROUP_ID: z.string().default('wms-webhooks-retrier'),
});

export async function startRetrier(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(retrierEnv, env);
  const secrets = loadSecretBox(config);
  const tier = config.RETRY_TIER;
  const service = `retrier-${tier}`;
  const context = await createServiceContext(service, config);
  const { logger, metrics, topics } = context;
  const webhooks = new WebhookRepository(context.db, secrets);
  const client = createDeliveryClient({ targetPolicy: targetPolicyOf(config) });
  const routes = createDeliveryRoutes(context.producer, context.serde, topics, {
    ...context.quarantine,
    sourceTopic: retryTopic(topics, tier),
  });
  const deliveryMetrics = createDeliveryMetrics(metrics, { perGoodsOwner: config.METRICS_PER_GOODS_OWNER });
  const attemptLogs = createAttemptLogWriter(context.db, {
    service,
    retentionMs: retentionMsOf(config.WEBHOOKS_LOG_RETENTION_DAYS),
    timedWrite: createStoreMetrics(metrics),
    onFlushError: (error) => logger.warn({ err: error }, 'webhook activity not written; tries again'),
  });
  const oldestDueAge = new Gauge({
    name: 'wms_webhooks_retry_oldest_due_age_seconds',
    help: 'How long the oldest due record of each partition has been due; 0 while it holds only records not yet due.',
    labelNames: ['tier', 'partition'],
    registers: [metrics],
  });
  const lateness = new Histogram({
    name: 'wms_webhooks_retry_lateness_seconds',
    help: 'How long after its due time each retry started.',
    labelNames: ['tier'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [metrics],
  });

  const deliveryDeps: DeliveryDeps = {
    client,
    // Re-read before every retry: a webhook disabled, deleted or re-pointed meanwhile is honoured.
    webhookById: (id) => webhooks.findById(id),
    now: Date.now,
    queue: createDeliveryQueue(metrics, config.RETRIER_CONCURRENCY),
    timeScale: config.WEBHOOKS_TIME_SCALE,
    origin: service,
    ...routes,
    writeLogs: attemptLogs.writeLogs,
    onAttempt: (task, outcome, log) => {
      deliveryMetrics.onAttempt(task, outcome);
      const lateMs = Math.max(0, log.startedAt.getTime() - (task.dueAt ?? log.startedAt.getTime()));
      lateness.observe({ tier }, lateMs / 1000);
      logger.info(
        {
          deliveryId: task.deliveryId,
          webhookId: task.webhookId,
          eventId: task.eventId,
          attempt: task.attempt,
          lateMs,
          outcome: outcome.outcome,
          statusCode: log.statusCode,
          error: log.error,
        },
        'retry attempted',
      );
    },
  };
  const { consumer, group } = await consume<DeliveryTask>(context, {
    groupId: `${config.RETRIER_GROUP_ID}-${tier}`,
    topic: retryTopic(topics, tier),
    // A due record is fetched at once, not held for a fuller batch.
    fetchMaxWaitMs: tierFetchWaitMs(tier, config.WEBHOOKS_TIME_SCALE),
    fetchMinBytes: 1,
    prepare: dueRecords(
      (record) => context.quarantine.decode<DeliveryTask>(record),
      (task) => task.dueAt ?? 0,
    ),
    onHold: (partition) => oldestDueAge.set({ tier, partition: String(partition) }, 0),
    handle: async (tasks, { partition }) => {
      const now = Date.now();
      const oldestDue = Math.min(...tasks.map((task) => task.dueAt ?? now));
      oldestDueAge.set({ tier, partition: String(partition) }, Math.max(0, now - oldestDue) / 1000);
      const settled = await deliverBatch(deliveryDeps, tasks);
      deliveryMetrics.deadLetters.inc(settled.filter((settlement) => settlement.kind === 'dead').length);
    },
  });
  const { ops, shutdownSteps } = await serveConsumer({
    context,
    host: config.OPS_HOST,
    port: config.OPS_PORT ?? 9111 + retryTiers.indexOf(tier),
    consumer,
    group,
    inFlight: 'the attempts in flight, logs them',
    stopSteps: [{ name: 'write the last log summaries', run: () => attemptLogs.stop() }],
    release: () => client.close(),
  });
  logger.info({ ops: ops.url, tier, topic: retryTopic(topics, tier) }, 'retrier running');
  return { context, ops, shutdownSteps, timeoutMs: config.SHUTDOWN_TIMEOUT_MS };
}
