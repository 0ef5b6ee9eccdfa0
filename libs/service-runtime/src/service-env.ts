import { booleanFlag, brokerList, httpUrl, mongoUri } from '@wms-webhooks/config';
import { topicReplicationEnv } from '@wms-webhooks/contracts';
import { kafkaSecurityEnv } from '@wms-webhooks/kafka';
import { createTargetPolicy, parseCidrList, parsePortList } from '@wms-webhooks/target-guard';
import { z } from 'zod';

/** A comma-separated variable read by a parser whose error names the entry that is wrong. */
function parsedList<T>(parse: (text: string) => T[]) {
  return z
    .string()
    .default('')
    .transform((value, context) => {
      try {
        return parse(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    });
}

/** Variables every service reads; each service's schema extends these with its own. */
export const serviceEnv = {
  /** Required: a service never starts a stack or guesses one; unset, it stops naming the variable. */
  KAFKA_BROKERS: brokerList(),
  SCHEMA_REGISTRY_URL: httpUrl(),
  MONGODB_URI: mongoUri(),
  ...kafkaSecurityEnv,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  OPS_HOST: z.string().default('127.0.0.1'),
  WEBHOOKS_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may hold only letters, digits, dots, dashes and underscores')
    .default(''),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 letters, digits, dashes or underscores')
    .default('wms_webhooks'),
  /** How long a silent consumer keeps its partitions; after a crash, that is how long they wait. */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(6_000, 'must be at least 6000 (the broker minimum)')
    .default(30_000),
  /**
   * A fetch returns once it holds this many bytes or has waited KAFKA_FETCH_MAX_WAIT_MS. A busy consumer
   * thus fetches fewer, larger batches, and produces and commits once per batch: fewer requests for the
   * broker and each service, for at most the wait added per hop. 1 returns as soon as anything arrives.
   */
  KAFKA_FETCH_MIN_BYTES: z.coerce.number().int().min(1, 'must be at least 1').default(16_384),
  KAFKA_FETCH_MAX_WAIT_MS: z.coerce.number().int().min(1, 'must be at least 1').max(10_000).default(25),
  /** The most one partition's batch may hold: what a lane keeps in flight, twice over, per partition. */
  KAFKA_FETCH_MAX_BYTES_PER_PARTITION: z.coerce
    .number()
    .int()
    .min(1_024, 'must be at least 1024')
    .default(1_048_576),
  ...topicReplicationEnv,
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Adds a goods_owner label to the delivery attempt counter: one series per owner, so opt in knowingly. */
  METRICS_PER_GOODS_OWNER: booleanFlag().default(false),
  /** Multiplies every retry delay and the 24 h window, for tests and demos (0.001: a day is 86.4 s). */
  WEBHOOKS_TIME_SCALE: z.coerce
    .number()
    .positive('must be a positive number')
    .max(1, 'may be at most 1')
    .default(1),
  /** Non-public addresses webhooks may reach anyway, e.g. `127.0.0.0/8,::1/128` for local demos and tests. */
  WEBHOOKS_ALLOWED_TARGETS: parsedList(parseCidrList),
  /** The only ports webhook URLs may use, e.g. `443,8443`; empty allows every port. */
  WEBHOOKS_ALLOWED_PORTS: parsedList(parsePortList),
};

/** 0 asks the OS for a free port (tests run several services in one process). */
export const listenPort = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(0, 'must be a port from 0 to 65535')
    .max(65535, 'must be a port from 0 to 65535')
    .default(fallback);

/** The SSRF guard the api, the sender and the retriers share, from WEBHOOKS_ALLOWED_TARGETS and _PORTS. */
export function targetPolicyOf(config: {
  WEBHOOKS_ALLOWED_TARGETS: ReturnType<typeof parseCidrList>;
  WEBHOOKS_ALLOWED_PORTS: ReturnType<typeof parsePortList>;
}) {
  return createTargetPolicy({
    allowedTargets: config.WEBHOOKS_ALLOWED_TARGETS,
    allowedPorts: config.WEBHOOKS_ALLOWED_PORTS,
  });
}
