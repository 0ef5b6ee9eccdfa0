import { positiveInt } from '@wms-webhooks/config';
import { opsPort, serviceEnv } from '@wms-webhooks/service-runtime';
import { z } from 'zod';

export const ingesterEnv = z.object({
  ...serviceEnv,
  OPS_PORT: opsPort(9101),
  INGEST_MAX_PAYLOAD_BYTES: positiveInt()
    .default(256 * 1024)
    .describe(
      'The largest event payload accepted; a larger event is filed in `wms.events.invalid` as `payload-too-large`, not delivered.',
    ),
  INGESTER_GROUP_ID: z
    .string()
    .default('wms-webhooks-ingester')
    .describe("The ingester's consumer group (prefixed too)."),
});
