import { loadConfig, positiveInt } from '@wms-webhooks/config';
import { attemptLogEnv, startDeliveryWorker } from '@wms-webhooks/delivery';
import { loadSecretBox, secretKeyEnv } from '@wms-webhooks/secrets';
import { createServiceContext, listenPort, serviceEnv } from '@wms-webhooks/service-runtime';
import { followServiceDefinitions } from '@wms-webhooks/webhooks';
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

/**
 * The delivery worker on `webhooks.deliveries`, every task's first attempt. Unlike a retrier it follows
 * the definitions (first attempts are most of the traffic; a retry re-reads the store) and opens a
 * circuit breaker on an endpoint that keeps failing.
 */
export async function startSender(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(senderEnv, env);
  const secrets = loadSecretBox(config);
  const context = await createServiceContext('sender', config);
  const followed = await followServiceDefinitions(context, {
    role: 'sender',
    resyncIntervalMs: config.DEFINITIONS_RESYNC_MS,
    secrets,
  });
  const worker = await startDeliveryWorker({
    context,
    config,
    secrets,
    topic: context.topics.deliveries,
    groupId: config.SENDER_GROUP_ID,
    opsPort: config.OPS_PORT,
    concurrency: config.SENDER_CONCURRENCY,
    maxSocketsPerHost: config.SENDER_MAX_SOCKETS_PER_HOST,
    partitionsConsumedConcurrently: config.SENDER_PARTITIONS_CONCURRENTLY,
    followed,
    breaker: { failureThreshold: config.BREAKER_FAILURE_THRESHOLD, openMs: config.BREAKER_OPEN_MS },
  });
  return { context, ...worker, cache: followed.cache, timeoutMs: config.SHUTDOWN_TIMEOUT_MS };
}
