import { estimatedKeyBits, minimumKeyBits } from '@wms-webhooks/access';
import { positiveInt } from '@wms-webhooks/config';
import { attemptLogEnv } from '@wms-webhooks/delivery';
import { payloadLimitEnv } from '@wms-webhooks/ingest';
import { replayEnv } from '@wms-webhooks/replay';
import { secretKeyEnv } from '@wms-webhooks/secrets';
import { listenPort, serviceEnv } from '@wms-webhooks/service-runtime';
import { z } from 'zod';

export const apiEnv = z.object({
  ...serviceEnv,
  ...secretKeyEnv,
  ...attemptLogEnv,
  ...replayEnv,
  ...payloadLimitEnv,
  API_HOST: z
    .string()
    .default('127.0.0.1')
    .describe('Address the API, the admin UI and their probes listen on.'),
  API_PORT: listenPort(8080).describe('Port of the API and the admin UI.'),
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
    .optional()
    .describe(
      'Seeds the admin API key at start, replacing the one seeded before (a revoked key stays revoked); at least 128 bits of randomness, e.g. `openssl rand -hex 32`.',
    ),
  SIGNING_SECRET_GRACE_MS: positiveInt()
    .default(24 * 60 * 60 * 1000)
    .describe('How long a rotated-out signing secret keeps signing beside the new one.'),
  API_REQUEST_TIMEOUT_MS: positiveInt()
    .default(30_000)
    .describe('A request must be complete, body included, within this; 408 after it.'),
  API_HEADERS_TIMEOUT_MS: positiveInt()
    .default(10_000)
    .describe("A request's headers must be complete within this; the connection is closed after it."),
  API_MAX_CONCURRENT_REQUESTS: positiveInt()
    .default(256)
    .describe(
      'Requests in progress at once; more answer 503 with Retry-After (probes and `/metrics` excepted).',
    ),
  API_AUTH_FAILURES_PER_MINUTE: positiveInt()
    .default(20)
    .describe(
      'Failed authentications per client address (IPv6: per /64): a burst of this many, then one every 60/N s; beyond, 429.',
    ),
  API_TRUST_PROXY: z
    .string()
    .default('')
    .describe(
      'Proxies trusted to name the client in `X-Forwarded-For` (addresses or CIDRs); empty trusts none.',
    ),
  WEBHOOKS_QUOTA_WEBHOOKS_PER_GOODS_OWNER: positiveInt()
    .default(50)
    .describe(
      'Webhooks a goods-owner key may hold for its goods owner (admin keys are not bound by quotas).',
    ),
  WEBHOOKS_QUOTA_CREATES_PER_MINUTE: positiveInt()
    .default(10)
    .describe('Webhooks a goods-owner key may create per minute.'),
  WEBHOOKS_QUOTA_TESTS_PER_MINUTE: positiveInt()
    .default(10)
    .describe('Tests a goods-owner key may fire per minute.'),
  WEBHOOKS_QUOTA_ROTATIONS_PER_MINUTE: positiveInt()
    .default(3)
    .describe('Signing-secret rotations a goods-owner key may make per minute.'),
});
