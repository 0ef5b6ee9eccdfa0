import { secretKeyEnv } from '@wms-webhooks/secrets';
import { opsPort, serviceEnv } from '@wms-webhooks/service-runtime';
import { definitionsEnv } from '@wms-webhooks/webhooks';
import { z } from 'zod';

export const matcherEnv = z.object({
  ...serviceEnv,
  ...secretKeyEnv,
  OPS_PORT: opsPort(9102),
  MATCHER_GROUP_ID: z
    .string()
    .default('wms-webhooks-matcher')
    .describe("The matcher's consumer group (prefixed too)."),
  ...definitionsEnv,
});
