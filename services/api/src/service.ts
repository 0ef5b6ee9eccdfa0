import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiKeyRepository } from '@wms-webhooks/access';
import { adminUiDist, adminUiStale } from '@wms-webhooks/admin-ui';
import { loadConfig } from '@wms-webhooks/config';
import type { DeliveryTask } from '@wms-webhooks/contracts';
import {
  AttemptLogRepository,
  hasLegacyLog,
  keepLogRetention,
  ResendClaims,
  readActivity,
  readActivityHistory,
  readReplayOutcomes,
  retentionMsOf,
} from '@wms-webhooks/delivery';
import { AvroTopicProducer } from '@wms-webhooks/kafka';
import { createReplayMetrics, createReplayRunner, ReplayStore, replayPace } from '@wms-webhooks/replay';
import { loadSecretBox } from '@wms-webhooks/secrets';
import {
  answerOps,
  createServiceContext,
  opsPaths,
  registryReachable,
  storeReachable,
  targetPolicyOf,
} from '@wms-webhooks/service-runtime';
import { checkTargetUrl } from '@wms-webhooks/target-guard';
import { buildApi } from '@wms-webhooks/webhook-api';
import { WebhookChangePublisher, WebhookRepository } from '@wms-webhooks/webhooks';
import { Counter } from 'prom-client';
import { apiEnv } from './env';

/** `npm run build` puts the UI beside the api's bundle; from source it is the admin-ui package's dist. */
const bundledUiDir = join(dirname(fileURLToPath(import.meta.url)), 'admin-ui');
const uiDir = existsSync(bundledUiDir) ? bundledUiDir : adminUiDist;

export async function startApi(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(apiEnv, env);
  const secrets = loadSecretBox(config);
  const context = await createServiceContext('api', config);
  const { logger, metrics, topics } = context;
  const webhooks = new WebhookRepository(context.db, secrets);
  const attemptLogs = new AttemptLogRepository(context.db, {
    retentionMs: retentionMsOf(config.WEBHOOKS_LOG_RETENTION_DAYS),
  });
  const apiKeys = new ApiKeyRepository(context.db, secrets.derivedKeys('api-key-hash'));
  await Promise.all([webhooks.ensureIndexes(), attemptLogs.ensureIndexes(), apiKeys.ensureIndexes()]);
  if (config.WEBHOOKS_ADMIN_KEY) {
    const seeded = await apiKeys.seedAdmin(config.WEBHOOKS_ADMIN_KEY, new Date());
    if (seeded === 'revoked') {
      logger.error('WEBHOOKS_ADMIN_KEY names a key that was revoked; it stays revoked: set a new key');
    } else {
      logger.info(
        seeded === 'seeded'
          ? 'admin API key seeded from WEBHOOKS_ADMIN_KEY'
          : 'admin API key from WEBHOOKS_ADMIN_KEY in place',
      );
    }
  } else if ((await apiKeys.list()).every((key) => key.revokedAt !== null)) {
    logger.warn('no API key exists: every /api call will answer 401 until WEBHOOKS_ADMIN_KEY seeds one');
  }
  if (await hasLegacyLog(context.db)) {
    logger.warn(
      'the attempt log of an earlier version is still in delivery_attempts, which Logs no longer read: run npm run logs:import-legacy',
    );
  }
  const retention = keepLogRetention(context.db, attemptLogs, {
    registry: metrics,
    // A bucket is dropped within a minute of leaving the retention, or within its own span if shorter.
    intervalMs: Math.min(60_000, attemptLogs.spanMs),
    onError: (error) => logger.warn({ err: error }, 'attempt log retention failed; tries again'),
    onRemoved: (buckets) => logger.info({ buckets }, 'attempt log buckets past the retention removed'),
  });
  const changes = new WebhookChangePublisher(context.producer, context.serde, topics.definitions);
  const deliveries = new AvroTopicProducer<DeliveryTask>(context.producer, context.serde, topics.deliveries);

  const resendClaims = new ResendClaims(context.db);
  const replayStore = new ReplayStore(context.db);
  const replayRunner = createReplayRunner({
    store: replayStore,
    claims: resendClaims,
    attemptLogs,
    kafka: context.kafka,
    serde: context.serde,
    eventsTopic: topics.wmsEvents,
    groupPrefix: config.WEBHOOKS_TOPIC_PREFIX,
    limits: { maxPayloadBytes: config.INGEST_MAX_PAYLOAD_BYTES },
    logger,
    now: Date.now,
    webhookById: (id) => webhooks.findById(id),
    send: (items) => deliveries.send(items.map((item) => ({ key: item.key, value: item.task }))),
    pace: replayPace(config.REPLAY_RATE_PER_SECOND),
    metrics: createReplayMetrics(metrics),
    maxRunning: config.REPLAY_MAX_RUNNING,
  });

  const targetPolicy = targetPolicyOf(config);
  const refused = new Counter({
    name: 'wms_webhooks_api_requests_refused_total',
    help: 'API requests refused by a limit or a quota, by reason (auth-failures, concurrency, quota-*)',
    labelNames: ['reason'],
    registers: [metrics],
  });
  const app = await buildApi(
    {
      webhooks,
      attemptLogs,
      resendClaims,
      replays: {
        runner: replayRunner,
        store: replayStore,
        outcomes: (replayIds) => readReplayOutcomes(context.db, replayIds, Date.now()),
      },
      webhookActivity: (ids) => readActivity(context.db, ids, Date.now()),
      activityHistory: (id, window) =>
        readActivityHistory(context.db, id, window, Date.now(), attemptLogs.horizon()),
      logStats: retention.latest,
      apiKeys,
      secretGraceMs: config.SIGNING_SECRET_GRACE_MS,
      countRefusal: (reason) => refused.inc({ reason }),
      publishChange: (change) => changes.publish(change),
      enqueueDelivery: async (task) => void (await deliveries.send([{ key: task.webhookId, value: task }])),
      now: Date.now,
      checkTarget: async (url) => {
        const verdict = await checkTargetUrl(targetPolicy, url);
        return verdict.ok ? undefined : verdict.reason;
      },
      onPublishFailure: (error, webhookId) =>
        logger.error(
          { err: error, webhookId },
          'change notice not published; services pick it up at their next reload',
        ),
    },
    {
      uiDir,
      quotas: {
        webhooksPerGoodsOwner: config.WEBHOOKS_QUOTA_WEBHOOKS_PER_GOODS_OWNER,
        createsPerMinute: config.WEBHOOKS_QUOTA_CREATES_PER_MINUTE,
        testsPerMinute: config.WEBHOOKS_QUOTA_TESTS_PER_MINUTE,
        rotationsPerMinute: config.WEBHOOKS_QUOTA_ROTATIONS_PER_MINUTE,
      },
      limits: {
        requestTimeoutMs: config.API_REQUEST_TIMEOUT_MS,
        headersTimeoutMs: config.API_HEADERS_TIMEOUT_MS,
        maxConcurrentRequests: config.API_MAX_CONCURRENT_REQUESTS,
        authFailuresPerMinute: config.API_AUTH_FAILURES_PER_MINUTE,
        trustProxy: config.API_TRUST_PROXY,
      },
    },
  );
  if (!existsSync(join(uiDir, 'index.html'))) {
    logger.warn('the admin UI is not built; / explains how (npm run ui:build)');
  } else if (uiDir === adminUiDist && adminUiStale()) {
    logger.warn({ dir: uiDir }, 'the admin UI build is older than its sources; npm run ui:build');
  } else {
    logger.info({ dir: uiDir }, 'serving the admin UI');
  }
  const readiness = {
    kafka: () => context.producer.reachable(),
    registry: registryReachable(context.endpoints.schemaRegistryUrl),
    store: storeReachable(context.db),
  };
  for (const path of opsPaths)
    app.get(path, async (_request, reply) => {
      const answer = await answerOps(path, { service: context.service, metrics, readiness });
      return reply.code(answer.status).type(answer.contentType).send(answer.body);
    });
  const address = await app.listen({ host: config.API_HOST, port: config.API_PORT });
  logger.info({ url: address }, 'api listening');
  return {
    context,
    url: address,
    replays: replayRunner,
    shutdownSteps: [
      { name: 'stop accepting requests (finishes those in flight)', run: () => app.close() },
      { name: 'stop the attempt log retention', run: () => retention.stop() },
      { name: 'stop the replays running here (another API takes them over)', run: () => replayRunner.stop() },
      { name: 'close connections', run: () => context.close() },
    ],
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  };
}
