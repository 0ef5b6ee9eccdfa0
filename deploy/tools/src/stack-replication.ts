import type { EndpointSource } from '@wms-webhooks/endpoints';
import type { StackLayout } from '@wms-webhooks/local-stack';

/**
 * The environment for the services, with the native stack's replication (1 and 1 on one node, 3 and 2 on
 * three) when Kafka is the native stack's; a variable set by hand, or another cluster, keeps its own.
 */
export function withStackReplication(
  kafkaSource: EndpointSource,
  layout: StackLayout,
  env: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  if (kafkaSource !== 'native') return env;
  const { factor, minInsync } = layout.kafka.replication;
  return { KAFKA_REPLICATION_FACTOR: String(factor), KAFKA_MIN_INSYNC_REPLICAS: String(minInsync), ...env };
}
