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
  // Required: a service never starts a stack or guesses one; unset, it stops naming the variable.
  KAFKA_BROKERS: brokerList().describe('Kafka bootstrap brokers, a comma-separated `host:port` list.'),
  SCHEMA_REGISTRY_URL: httpUrl().describe(
    'The Confluent-compatible schema registry API, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`.',
  ),
  MONGODB_URI: mongoUri().describe(
    'The store: a `mongodb://` or `mongodb+srv://` URI (MongoDB or FerretDB).',
  ),
  ...kafkaSecurityEnv,
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
    .default('info')
    .describe('pino JSON log lines on stdout from this level up.'),
  OPS_HOST: z
    .string()
    .default('127.0.0.1')
    .describe('Address the ops server (`/metrics`, `/healthz`, `/readyz`) listens on.'),
  WEBHOOKS_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may hold only letters, digits, dots, dashes and underscores')
    .default('')
    .describe('Prefixes every topic and consumer group, so environments can share a cluster (tests use it).'),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 letters, digits, dashes or underscores')
    .default('wms_webhooks')
    .describe('The database holding webhooks, keys and delivery logs.'),
  KAFKA_SESSION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(6_000, 'must be at least 6000 (the broker minimum)')
    .default(30_000)
    .describe(
      'How long a silent consumer keeps its partitions: after a crash, they wait this long for a new owner (min 6000).',
    ),
  KAFKA_FETCH_MIN_BYTES: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1')
    .default(4_096)
    .describe(
      'Under load a fetch returns once it holds this many bytes or has waited `KAFKA_FETCH_MAX_WAIT_MS`: fewer, larger batches, for at most that wait per hop. While a wait would gather fewer than a few records (below about 400 records/s per broker at 10 ms), fetches return at the first record instead (docs/performance.md). `1` always returns as soon as anything arrives. Retriers fetch with 1 byte whatever this says.',
    ),
  KAFKA_FETCH_MAX_WAIT_MS: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(10_000)
    .default(10)
    .describe(
      'The longest a fetch waits for `KAFKA_FETCH_MIN_BYTES` (1 to 10000). A fetch that returns at the first record waits up to 500 ms instead while it holds every partition of its consumer, which holds nothing back and keeps an idle consumer cheap. Where fetches would wait out this wait (under load, or traffic too thin to end one soon), the next is put off while a partition works on a batch it took under 25 ms ago, so that partition is in it rather than a whole wait later.',
    ),
  KAFKA_COMMIT_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0, 'must be at least 0')
    .max(5_000, 'must be at most 5000')
    .default(50)
    .describe(
      "The least time between a consumer's offset commits (0 to 5000). Offsets made durable meanwhile go in one request, the newest of each partition, and no batch waits for its commit; a rebalance commits what waits before the member rejoins, and a crash re-delivers up to this long of records. `0` commits as soon as no commit is in flight.",
    ),
  KAFKA_FETCH_MAX_BYTES_PER_PARTITION: z.coerce
    .number()
    .int()
    .min(1_024, 'must be at least 1024')
    .default(1_048_576)
    .describe(
      "The most one partition's batch holds. A lane keeps up to two batches per partition in flight, so this bounds a consumer's memory under a backlog (docs/performance.md).",
    ),
  ...topicReplicationEnv,
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(30_000)
    .describe('On SIGTERM the service finishes its batch, commits and exits 0 within this, or exits 1.'),
  METRICS_PER_GOODS_OWNER: booleanFlag()
    .default(false)
    .describe(
      'Adds a `goods_owner` label to the delivery attempt counter: one series per owner, so opt in knowingly.',
    ),
  WEBHOOKS_TIME_SCALE: z.coerce
    .number()
    .positive('must be a positive number')
    .max(1, 'may be at most 1')
    .default(1)
    .describe(
      'Multiplies every retry delay and the one-day window, for tests and demos (`0.001`: a day is 86.4 s).',
    ),
  WEBHOOKS_ALLOWED_TARGETS: parsedList(parseCidrList).describe(
    'Non-public addresses (CIDRs) webhook URLs may reach anyway, e.g. `127.0.0.0/8,::1/128` for local demos and tests; the SSRF guard refuses the rest.',
  ),
  WEBHOOKS_ALLOWED_PORTS: parsedList(parsePortList).describe(
    'The only ports webhook URLs may use, e.g. `443,8443,8000-8999`; empty allows every port.',
  ),
};

/** 0 asks the OS for a free port (tests run several services in one process). */
export const listenPort = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(0, 'must be a port from 0 to 65535')
    .max(65535, 'must be a port from 0 to 65535')
    .default(fallback);

/** The ops server's port: `/metrics`, `/healthz` and `/readyz`. */
export const opsPort = (fallback: number) =>
  listenPort(fallback).describe(
    'Port of the ops server (`/metrics`, `/healthz`, `/readyz`); `0` picks a free one.',
  );

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
