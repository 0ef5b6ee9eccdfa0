import type { DeliveryTask } from '@wms-webhooks/contracts';
import type { SecretBox } from '@wms-webhooks/secrets';
import {
  consume,
  createStoreMetrics,
  decodedRecords,
  dueRecords,
  type ServiceContext,
  serveConsumer,
  targetPolicyOf,
} from '@wms-webhooks/service-runtime';
import {
  createWebhookDisabler,
  definitionsReady,
  type followServiceDefinitions,
  WebhookRepository,
} from '@wms-webhooks/webhooks';
import { Gauge, Histogram } from 'prom-client';
import { createAttemptLogWriter } from './attempt-log-writer';
import { CircuitBreaker } from './circuit-breaker';
import { type DeliveryDeps, stageDelivery } from './deliver-batch';
import { deliveryLane } from './delivery-lane';
import {
  createDeliveryMetrics,
  createDeliveryQueue,
  createDeliveryRoutes,
  createMergeCounter,
  createPacer,
} from './delivery-wiring';
import { createDeliveryClient } from './http-client';
import { retentionMsOf } from './log-buckets';
import { type RetryTier, tierDueStepMs, tierFetchWaitMs } from './retry-schedule';

type FollowedDefinitions = Awaited<ReturnType<typeof followServiceDefinitions>>;

/** The validated variables a delivery worker reads. */
export type DeliveryWorkerConfig = Parameters<typeof targetPolicyOf>[0] & {
  OPS_HOST: string;
  WEBHOOKS_LOG_RETENTION_DAYS: number;
  WEBHOOKS_LOG_MERGE_DELAY_MS: number;
  WEBHOOKS_TIME_SCALE: number;
  METRICS_PER_GOODS_OWNER: boolean;
  RETRY_AFTER_MAX_WAIT_MS: number;
};

export interface DeliveryWorkerOptions {
  context: ServiceContext;
  config: DeliveryWorkerConfig;
  secrets: SecretBox;
  topic: string;
  groupId: string;
  opsPort: number;
  /** Requests in flight at once, over all partitions; one webhook's go one at a time, in order. */
  concurrency: number;
  maxSocketsPerHost?: number;
  partitionsConsumedConcurrently?: number;
  /**
   * The sender's: webhooks come from definitions it follows, the store only for one created a moment ago.
   * Without them every attempt re-reads the store, so a retry honours a webhook disabled, deleted or
   * re-pointed since. The worker stops following them at shutdown.
   */
  followed?: FollowedDefinitions;
  /** The sender's: stops sending to an endpoint that keeps failing, for a while. */
  breaker?: { failureThreshold: number; openMs: number };
  /** A retrier's tier: each record is held until its due time, and how late it started is measured. */
  retryTier?: RetryTier;
}

/**
 * The one delivery worker: consumes delivery tasks, attempts each (a webhook's in order, behind its
 * earlier ones), then makes the outcome durable before the offset is committed: the retries on their
 * tiers and the dead letters first, so the Logs never show a next attempt that was not scheduled, then
 * the attempt log (see stageDelivery). The sender is this worker on `webhooks.deliveries`;
 * each retrier is it on its tier's topic. A batch's attempts run while the partition's next batch starts.
 */
export async function startDeliveryWorker(options: DeliveryWorkerOptions) {
  const { context, config, retryTier } = options;
  const { logger, metrics, service } = context;
  const attemptLogs = createAttemptLogWriter(context.db, {
    service,
    retentionMs: retentionMsOf(config.WEBHOOKS_LOG_RETENTION_DAYS),
    mergeDelayMs: config.WEBHOOKS_LOG_MERGE_DELAY_MS,
    timedWrite: createStoreMetrics(metrics),
    onMerge: createMergeCounter(metrics),
    onFlushError: (error) => logger.warn({ err: error }, 'webhook activity not written; tries again'),
  });
  // False on a store that scans for every read but by _id: the log's indexes would only slow its writes.
  const attemptLogIndexes = await attemptLogs.repository.ensureIndexes();
  const webhooks = new WebhookRepository(context.db, options.secrets);
  const disable = createWebhookDisabler(context);
  const { followed } = options;
  const client = createDeliveryClient({
    maxSocketsPerHost: options.maxSocketsPerHost,
    targetPolicy: targetPolicyOf(config),
  });
  const deliveryMetrics = createDeliveryMetrics(metrics, { perGoodsOwner: config.METRICS_PER_GOODS_OWNER });
  const breaker =
    options.breaker &&
    new CircuitBreaker({
      ...options.breaker,
      now: Date.now,
      onTransition: (endpoint, from, to) => {
        deliveryMetrics.circuitTransitions.inc({ to });
        logger.warn({ endpoint, from, to }, 'circuit breaker changed state');
      },
    });
  const due = retryTier && dueMetrics(context, retryTier);

  const deps: DeliveryDeps = {
    client,
    webhookById: followed
      ? (id) => followed.cache.get(id) ?? webhooks.findById(id)
      : (id) => webhooks.findById(id),
    now: Date.now,
    queue: createDeliveryQueue(metrics, options.concurrency),
    timeScale: config.WEBHOOKS_TIME_SCALE,
    origin: service,
    breaker,
    pacer: createPacer(metrics, config.RETRY_AFTER_MAX_WAIT_MS),
    laneOf: followed
      ? (task) => {
          const webhook = followed.cache.get(task.webhookId);
          return webhook ? deliveryLane(webhook, task.deliveryId) : task.webhookId;
        }
      : undefined,
    ...createDeliveryRoutes(context.producer, context.serde, context.topics, {
      ...context.quarantine,
      sourceTopic: options.topic,
    }),
    writeLogs: attemptLogs.writeLogs,
    disableWebhooks: async (items) => {
      for (const { webhookId, reason } of items) await disable(webhookId, reason);
    },
    onAttempt: (task, outcome, log) => {
      deliveryMetrics.onAttempt(task, outcome);
      const lateMs = task.dueAt == null ? undefined : Math.max(0, log.startedAt.getTime() - task.dueAt);
      if (lateMs !== undefined) due?.started(lateMs);
      const fields = {
        deliveryId: task.deliveryId,
        webhookId: task.webhookId,
        eventId: task.eventId,
        attempt: task.attempt,
        lateMs,
      };
      if (outcome.outcome === 'succeeded')
        logger.debug({ ...fields, statusCode: outcome.statusCode }, 'delivered');
      else logger.info({ ...fields, statusCode: log.statusCode, error: log.error }, 'delivery failed');
    },
  };

  const decode = (record: Parameters<ServiceContext['quarantine']['decode']>[0]) =>
    context.quarantine.decode<DeliveryTask>(record);
  const { consumer, group } = await consume<DeliveryTask>(context, {
    groupId: options.groupId,
    topic: options.topic,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    ...(retryTier
      ? {
          // A due record is fetched at once, not held for a fuller batch.
          fetchMaxWaitMs: tierFetchWaitMs(retryTier, config.WEBHOOKS_TIME_SCALE),
          fetchMinBytes: 1,
          prepare: dueRecords(decode, (task) => task.dueAt ?? 0, {
            stepMs: tierDueStepMs(retryTier, config.WEBHOOKS_TIME_SCALE),
          }),
          onHold: (partition: number) => due?.holding(partition),
        }
      : { prepare: decodedRecords(decode) }),
    handle: async (tasks, { partition }) => {
      due?.observeBatch(partition, tasks);
      const staged = stageDelivery(deps, tasks);
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
    port: options.opsPort,
    consumer,
    group,
    inFlight: 'the deliveries in flight, logs them',
    readiness: followed ? { definitions: () => definitionsReady(followed.follower) } : {},
    stopSteps: [
      ...(followed ? [{ name: 'stop following definitions', run: () => followed.follower.stop() }] : []),
      { name: 'write the last log summaries', run: () => attemptLogs.stop() },
    ],
    release: () => client.close(),
  });
  logger.info(
    { ops: ops.url, topic: options.topic, definitions: followed?.cache.size, attemptLogIndexes },
    `${service} running`,
  );
  return { ops, shutdownSteps };
}

/** A retrier's own measures: how long its partitions' oldest due records have waited, and how late each started. */
function dueMetrics(context: ServiceContext, tier: RetryTier) {
  const oldestDueAge = new Gauge({
    name: 'wms_webhooks_retry_oldest_due_age_seconds',
    help: 'How long the oldest due record of each partition has been due; 0 while it holds only records not yet due.',
    labelNames: ['tier', 'partition'],
    registers: [context.metrics],
  });
  const lateness = new Histogram({
    name: 'wms_webhooks_retry_lateness_seconds',
    help: 'How long after its due time each retry started.',
    labelNames: ['tier'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [context.metrics],
  });
  return {
    /** A batch is due: its oldest record has waited this long past its due time. */
    observeBatch(partition: number, tasks: readonly DeliveryTask[]) {
      const now = Date.now();
      const oldestDue = Math.min(...tasks.map((task) => task.dueAt ?? now));
      oldestDueAge.set({ tier, partition: String(partition) }, Math.max(0, now - oldestDue) / 1000);
    },
    /** The partition holds only records not yet due. */
    holding(partition: number) {
      oldestDueAge.set({ tier, partition: String(partition) }, 0);
    },
    started(lateMs: number) {
      lateness.observe({ tier }, lateMs / 1000);
    },
  };
}
