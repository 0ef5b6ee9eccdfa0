import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiKeyRepository, estimatedKeyBits, minimumKeyBits } from '@wms-webhooks/access';
import { adminUiDist, adminUiStale } from '@wms-webhooks/admin-ui';
import { loadConfig, positiveInt } from '@wms-webhooks/config';
import type { DeliveryTask } from '@wms-webhooks/contracts';
import {
  AttemptLogRepository,
  attemptLogEnv,
  hasLegacyLog,
  keepLogRetention,
  ResendClaims,
  readActivity,
  retentionMsOf,
} from '@wms-webhooks/delivery';
import { AvroTopicProducer } from '@wms-webhooks/kafka';
import { loadSecretBox, secretKeyEnv } from '@wms-webhooks/secrets';
import {
  answerOps,
  createServiceContext,
  listenPort,
  opsPaths,
  registryReachable,
  serviceEnv,
  storeReachable,
  targetPolicyOf,
} from '@wms-webhooks/service-runtime';
import { checkTargetUrl } from '@wms-webhooks/target-guard';
import { buildApi } from '@wms-webhooks/webhook-api';
import { WebhookChangePublisher, WebhookRepository } from '@wms-webhooks/webhooks';
import { Counter } from 'prom-client';
import { z } from 'zod';

const apiEnv = z.object({
  ...serviceEnv,
  ...secretKeyEnv,
  ...attemptLogEnv,
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: listenPort(8080),
  /** Seeds the admin API key at start, replacing the one seeded before; a revoked key stays revoked. */
  WEBHOOKS_ADMIN_KEY: z
    .string()
    .superRefine((key, context) => {
      const bits = estimatedKeyBits(key);
      if (bits >= minimumKeyBits) return;
      context.addIssue({
        code: 'custom',
        message: `must carry at least ${minimumKeyBits} bits of randomness (this one: about ${bits}); make one with openssl rand -hex 32`,
      });
    })
    .optional(),
  /** How long a rotated-out signing secret keeps signing beside the new one. */
  SIGNING_SECRET_GRACE_MS: positiveInt().default(24 * 60 * 60 * 1000),
  /** A request must be complete, body included, within this; 408 after it. */
  API_REQUEST_TIMEOUT_MS: positiveInt().default(30_000),
  /** A request's headers must be complete within this; the connection is closed after it. */
  API_HEADERS_TIMEOUT_MS: positiveInt().default(10_000),
  /** Requests in progress at once; more answer 503 with Retry-After (probes and /metrics excepted). */
  API_MAX_CONCURRENT_REQUESTS: positiveInt().default(256),
  /** Failed authentications per client address (IPv6: per /64): a burst of this many, then one every 60/N s; beyond, 429. */
  API_AUTH_FAILURES_PER_MINUTE: positiveInt().default(20),
  /** Proxies trusted to name the client in X-Forwarded-For (addresses or CIDRs); empty trusts none. */
  API_TRUST_PROXY: z.string().default(''),
  /** Quotas of goods-owner keys, per goods owner (admin keys are not bound). */
  WEBHOOKS_QUOTA_WEBHOOKS_PER_GOODS_OWNER: positiveInt().default(50),
  WEBHOOKS_QUOTA_CREATES_PER_MINUTE: positiveInt().default(10),
  WEBHOOKS_QUOTA_TESTS_PER_MINUTE: positiveInt().default(10),
  WEBHOOKS_QUOTA_ROTATIONS_PER_MINUTE: positiveInt().default(3),
});

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
      resendClaims: new ResendClaims(context.db),
      webhookActivity: (ids) => readActivity(context.db, ids, Date.now()),
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
    shutdownSteps: [
      { name: 'stop accepting requests (finishes those in flight)', run: () => app.close() },
      { name: 'stop the attempt log retention', run: () => retention.stop() },
      { name: 'close connections', run: () => context.close() },
    ],
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  };
}
