import { positiveInt } from '@wms-webhooks/config';
import { attemptLogEnv, logMergeEnv, pacingEnv } from '@wms-webhooks/delivery';
import { secretKeyEnv } from '@wms-webhooks/secrets';
import { opsPort, serviceEnv } from '@wms-webhooks/service-runtime';
import { definitionsEnv } from '@wms-webhooks/webhooks';
import { z } from 'zod';

export const senderEnv = z.object({
  ...serviceEnv,
  ...secretKeyEnv,
  ...attemptLogEnv,
  ...logMergeEnv,
  ...pacingEnv,
  OPS_PORT: opsPort(9103),
  SENDER_GROUP_ID: z
    .string()
    .default('wms-webhooks-sender')
    .describe("The sender's consumer group (prefixed too)."),
  SENDER_CONCURRENCY: positiveInt()
    .default(256)
    .describe(
      "Requests in flight at once, over all partitions; each webhook's deliveries go one at a time, in order, per lane (its maxConcurrency lanes).",
    ),
  SENDER_MAX_SOCKETS_PER_HOST: positiveInt().default(50).describe('Keep-alive sockets per receiver host.'),
  ...definitionsEnv,
  SENDER_PARTITIONS_CONCURRENTLY: positiveInt()
    .default(12)
    .describe('Partitions worked on at once: a receiver that hangs stalls only its own partition.'),
  BREAKER_FAILURE_THRESHOLD: positiveInt()
    .default(5)
    .describe(
      "Failures in a row that open an endpoint URL's circuit breaker: while open, its deliveries are not sent, and count as failed attempts (`circuit-open`) that retry as any failure does.",
    ),
  BREAKER_OPEN_MS: positiveInt()
    .default(30_000)
    .describe('How long an open breaker waits before it lets one request try.'),
});
