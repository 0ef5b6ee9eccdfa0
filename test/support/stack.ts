import type { Endpoints } from '@wms-webhooks/endpoints';
import { AvroSerde, createKafkaClient, createSchemaRegistry } from '@wms-webhooks/kafka';
import { createLogger } from '@wms-webhooks/service-runtime';
import { inject } from 'vitest';

export function testEndpoints(): Endpoints {
  return inject('endpoints');
}

export function testKafka(clientId: string) {
  return createKafkaClient({ clientId, brokers: testEndpoints().kafkaBrokers });
}

export function testSerde() {
  return new AvroSerde(createSchemaRegistry(testEndpoints().schemaRegistryUrl));
}

/** For the consumers tests start themselves: a test fails on what it asserts, not on what they log. */
export const quietLogger = createLogger('it', 'fatal');
