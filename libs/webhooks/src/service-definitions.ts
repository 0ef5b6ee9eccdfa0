import { positiveInt } from '@wms-webhooks/config';
import type { TopicNames } from '@wms-webhooks/contracts';
import type { AvroSerde, KafkaClient, LaneLogger } from '@wms-webhooks/kafka';
import type { SecretBox } from '@wms-webhooks/secrets';
import type { Db } from 'mongodb';
import { Gauge, type Registry } from 'prom-client';
import { loadDefinitions } from './change-feed';
import { WebhookRepository } from './webhook-repository';

/** The variable of a service that follows the definitions (the matcher, the sender). */
export const definitionsEnv = {
  DEFINITIONS_RESYNC_MS: positiveInt()
    .default(60_000)
    .describe(
      'Webhook definitions are followed on a topic and reread whole from the store this often, in case a change was missed.',
    ),
};

/** The parts of a service's context that following definitions needs. */
export interface DefinitionsContext {
  kafka: KafkaClient;
  serde: AvroSerde;
  db: Db;
  topics: TopicNames;
  metrics: Registry;
  logger: LaneLogger;
  config: { WEBHOOKS_TOPIC_PREFIX: string };
}

/**
 * A service's cache of every webhook definition, loaded from the store and following the change topic:
 * its consumer group carries the environment's topic prefix, and the cache size is a metric.
 */
export async function followServiceDefinitions(
  context: DefinitionsContext,
  options: { role: string; resyncIntervalMs: number; secrets: SecretBox },
) {
  const { role, resyncIntervalMs } = options;
  const loaded = await loadDefinitions({
    source: new WebhookRepository(context.db, options.secrets),
    kafka: context.kafka,
    serde: context.serde,
    topic: context.topics.definitions,
    groupPrefix: `${context.config.WEBHOOKS_TOPIC_PREFIX}wms-webhooks-${role}-definitions`,
    resyncIntervalMs,
    logger: context.logger,
    onError: (error, what) => context.logger.error({ err: error }, `definitions: ${what} failed`),
  });
  new Gauge({
    name: 'wms_webhooks_definitions_cached',
    help: 'Webhook definitions in memory.',
    registers: [context.metrics],
    collect() {
      this.set(loaded.cache.size);
    },
  });
  return loaded;
}
