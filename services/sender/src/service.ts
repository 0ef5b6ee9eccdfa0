import { loadConfig } from '@wms-webhooks/config';
import { startDeliveryWorker } from '@wms-webhooks/delivery';
import { loadSecretBox } from '@wms-webhooks/secrets';
import { createServiceContext } from '@wms-webhooks/service-runtime';
import { followServiceDefinitions } from '@wms-webhooks/webhooks';
import { senderEnv } from './env';

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
