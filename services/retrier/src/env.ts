import { positiveInt } from '@wms-webhooks/config';
import { attemptLogEnv, logMergeEnv, pacingEnv, retryTiers } from '@wms-webhooks/delivery';
import { secretKeyEnv } from '@wms-webhooks/secrets';
import { serviceEnv } from '@wms-webhooks/service-runtime';
import { z } from 'zod';

export const retrierEnv = z.object({
  ...serviceEnv,
  ...secretKeyEnv,
  ...attemptLogEnv,
  ...logMergeEnv,
  ...pacingEnv,
  RETRY_TIER: z
    .enum(retryTiers, { error: `must be one of ${retryTiers.join(', ')}` })
    .describe('The retry tier this process works (`--tier` on the command line sets it too).'),
  OPS_PORT: z.coerce
    .number()
    .int()
    .min(0, 'must be a port from 0 to 65535')
    .max(65535, 'must be a port from 0 to 65535')
    .optional()
    .meta({
      description:
        'Port of the ops server (`/metrics`, `/healthz`, `/readyz`); by default one per tier, so all run side by side.',
      defaultText: '`9111` (1m) … `9115` (2h)',
    }),
  RETRIER_CONCURRENCY: positiveInt()
    .default(128)
    .describe("Attempts in flight at once, over all partitions; one webhook's go one at a time."),
  RETRIER_GROUP_ID: z
    .string()
    .default('wms-webhooks-retrier')
    .describe("The retriers' consumer group; each tier adds `-<tier>` (prefixed too)."),
});
