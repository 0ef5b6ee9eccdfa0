import { loadConfig, positiveInt } from '@wms-webhooks/config';
import type { DeliveryTask } from '@wms-webhooks/contracts';
import {
  attemptLogEnv,
  CircuitBreaker,
  createAttemptLogWriter,
  createDeliveryClient,
  createDeliveryMetrics,
  createDeliveryQueue,
  createDeliveryRoutes,
  type DeliveryDeps,
  retentionMsOf,
  stageDelivery,
} from '@wms-webhooks/delivery';
import { loadSecretBox, secretKeyEnv } from '@wms-webhooks/secrets';
import {
  consume,
  createServiceContext,
  createStoreMetrics,
  decodedRecords,
  listenPort,
  serveConsumer,
  serviceEnv,
  targetPolicyOf,
} from '@wms-webhooks/service-runtime';
import { definitionsReady, followServiceDefinitions, WebhookRepository } from '@wms-webhooks/webhooks';
import { z } from 'zod';

const senderEnv = z.object({
  ...serviceEnv,
  ...secretKeyEnv,
  ...attemptLogEnv,
  OPS_PORT: listenPort(9103),
  SENDER_GROUP_ID: z.string().default('wms-webhooks-sender'),
  /** Requests in flight at once, over all partitions; one webhook's go one at a time. */
  SENDER_CONCURRENCY: positiveInt().default(256),
  SENDER_MAX_SOCKETS_PER_HOST: positiveInt().default(50),
  DEFINITIONS_RESYNC_MS: positiveInt().default(60_000),
  /** Partitions worked on at once: a receiver that hangs stalls only its own partition. */
  SENDER_PARTITIONS_CONCURRENTLY: positiveInt().default(12),
  BREAKER_FAILURE_THRESHOLD: positiveInt().default(5),
  BREAKER_OPEN_MS: positiveInt().default(30_000),
});

export async function startSender(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(senderEnv, env);
  const secrets = loadSecretBox(config);
  const context = await createServiceContext('sender', config);
  const { logger, metrics, topics } = context;
  const attemptLogs = createAttemptLogWriter(context.db, {
    service: 'sender',
    retentionMs: retentionMsOf(config.WEBHOOKS_LOG_RETENTION_DAYS),
    timedWrite: createStoreMetrics(metrics),
    onFlushError: (error) => logger.warn({ err: error }, 'webhook activity not written; tries again'),
  });
  // False on a store that scans for every read but by _id: the log's indexes would only slow its writes.
  const attemptLogIndexes = await attemptLogs.repository.ensureIndexes();
  const webhooks = new WebhookRepository(context.db, secrets);
  const { cache, follower } = await followServiceDefinitions(context, {
    role: 'sender',
    resyncIntervalMs: config.DEFINITIONS_RESYNC_MS,
    secrets,
  });
  const client = createDeliveryClient({
    maxSocketsPerHost: config.SENDER_MAX_SOCKETS_PER_HOST,
    targetPolicy: targetPolicyOf(config),
  });
  const routes = createDeliveryRoutes(context.producer, context.serde, topics, {
    ...context.quarantine,
    sourceTopic: topics.deliveries,
  });
  const deliveryMetrics = createDeliveryMetrics(metrics, { perGoodsOwner: config.METRICS_PER_GOODS_OWNER });
  const breaker = new CircuitBreaker({
    failureThreshold: config.BREAKER_FAILURE_THRESHOLD,
    openMs: config.BREAKER_OPEN_MS,
    now: Date.now,
    onTransition: (endpoint, from, to) => {
      deliveryMetrics.circuitTransitions.inc({ to });
      logger.warn({ endpoint, from, to }, 'circuit breaker changed state');
    },
  });

  const deliveryDeps: DeliveryDeps = {
    client,
    // A webhook created a moment ago may reach this task before its change notice reaches the cache.
    webhookById: (id) => cache.get(id) ?? webhooks.findById(id),
    now: Date.now,
    queue: createDeliveryQueue(metrics, config.SENDER_CONCURRENCY),
    timeScale: config.WEBHOOKS_TIME_SCALE,
    origin: 'sender',
    breaker,
    ...routes,
    writeLogs: attemptLogs.writeLogs,
    onAttempt: (task, outcome, log) => {
      deliveryMetrics.onAttempt(task, outcome);
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
  };

  const { consumer, group } = await consume<DeliveryTask>(context, {
    groupId: config.SENDER_GROUP_ID,
    topic: topics.deliveries,
    partitionsConsumedConcurrently: config.SENDER_PARTITIONS_CONCURRENTLY,
    prepare: decodedRecords((record) => context.quarantine.decode<DeliveryTask>(record)),
    handle: async (tasks) => {
      // Sent at once, each behind its webhook's earlier deliveries; the partition's next batch may start
      // before these are all sent, and its offset is committed only after these are logged.
      const staged = stageDelivery(deliveryDeps, tasks);
      return {
        finish: async () => {
          const settled = await staged.finish();
          deliveryMetrics.deadLetters.inc(settled.filter((settlement) => settlement.kind === 'dead').length);
        },
      };
    },
  });
  const { ops, shutdownSteps } = await serveConsumer({
    context,
    host: config.OPS_HOST,
    port: config.OPS_PORT,
    consumer,
    group,
    inFlight: 'the deliveries in flight, logs them',
    readiness: { definitions: () => definitionsReady(follower) },
    stopSteps: [
      { name: 'stop following definitions', run: () => follower.stop() },
      { name: 'write the last log summaries', run: () => attemptLogs.stop() },
    ],
    release: () => client.close(),
  });
  logger.info({ ops: ops.url, definitions: cache.size, attemptLogIndexes }, 'sender running');
  return { context, ops, cache, shutdownSteps, timeoutMs: config.SHUTDOWN_TIMEOUT_MS };
}
