import { payloadLimitEnv } from '@wms-webhooks/ingest';
import { opsPort, serviceEnv } from '@wms-webhooks/service-runtime';
import { z } from 'zod';

export const ingesterEnv = z.object({
  ...serviceEnv,
  OPS_PORT: opsPort(9101),
  ...payloadLimitEnv,
  INGESTER_GROUP_ID: z
    .string()
    .default('wms-webhooks-ingester')
    .describe("The ingester's consumer group (prefixed too)."),
});
