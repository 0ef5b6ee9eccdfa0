import type { Endpoints } from '@wms-webhooks/endpoints';

/** The variables that point a service at the stack, its own topic prefix and its own database. */
export function stackEnv(endpoints: Endpoints, isolation: { prefix: string; database: string }) {
  return {
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
    MONGODB_URI: endpoints.mongodbUri,
    WEBHOOKS_TOPIC_PREFIX: isolation.prefix,
    MONGODB_DATABASE: isolation.database,
  };
}
