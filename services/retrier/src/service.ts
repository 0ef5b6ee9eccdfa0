import { loadConfig } from '@wms-webhooks/config';
import { retryTiers, retryTopic, startDeliveryWorker } from '@wms-webhooks/delivery';
import { loadSecretBox } from '@wms-webhooks/secrets';
import { createServiceContext } from '@wms-webhooks/service-runtime';
import { retrierEnv } from './env';

/** The delivery worker on one retry tier's topic: each record waits for its due time. */
export async function startRetrier(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(retrierEnv, env);
  const tier = config.RETRY_TIER;
  const context = await createServiceContext(`retrier-${tier}`, config);
  const worker = await startDeliveryWorker({
    context,
    config,
    secrets: loadSecretBox(config),
    topic: retryTopic(context.topics, tier),
    groupId: `${config.RETRIER_GROUP_ID}-${tier}`,
    opsPort: config.OPS_PORT ?? 9111 + retryTiers.indexOf(tier),
    concurrency: config.RETRIER_CONCURRENCY,
    retryTier: tier,
  });
  return { context, ...worker, timeoutMs: config.SHUTDOWN_TIMEOUT_MS };
}
