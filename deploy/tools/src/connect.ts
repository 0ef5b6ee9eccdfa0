import type { Endpoints } from '@wms-webhooks/endpoints';
import {
  AvroSerde,
  createKafkaClient,
  createSchemaRegistry,
  kafkaSecurityFromEnv,
} from '@wms-webhooks/kafka';

/** The Kafka admin and Avro serde a tool needs, for the endpoints it resolved. */
export function connectTools(endpoints: Endpoints, clientId: string) {
  const kafka = createKafkaClient({
    clientId,
    brokers: endpoints.kafkaBrokers,
    security: kafkaSecurityFromEnv(),
  });
  return {
    kafka,
    admin: kafka.admin(),
    serde: new AvroSerde(createSchemaRegistry(endpoints.schemaRegistryUrl)),
  };
}
