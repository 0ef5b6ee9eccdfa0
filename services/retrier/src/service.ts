import { loadConfig, positiveInt } from '@wms-webhooks/config';
import { attemptLogEnv, retryTiers, retryTopic, startDeliveryWorker } from '@wms-webhooks/delivery';
import { loadSecretBox, secretKeyEnv } from '@wms-webhooks/secrets';
import { createServiceContext, serviceEnv } from '@wms-webhooks/service-runtime';
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
