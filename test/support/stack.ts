import { existsSync } from 'node:fs';
import type { Endpoints } from '@wms-webhooks/endpoints';
import {
  AvroSerde,
  createKafkaClient,
  createSchemaRegistry,
  kafkaSecurityFromEnv,
} from '@wms-webhooks/kafka';
import { loadStackLayout, securedKafkaListener } from '@wms-webhooks/local-stack';
import { createLogger } from '@wms-webhooks/service-runtime';
import { inject } from 'vitest';

export function testEndpoints(): Endpoints {
  return inject('endpoints');
}

export function testKafka(clientId: string) {
  return createKafkaClient({
    clientId,
    brokers: testEndpoints().kafkaBrokers,
    security: kafkaSecurityFromEnv(),
  });
}

export function testSerde() {
  return new AvroSerde(createSchemaRegistry(testEndpoints().schemaRegistryUrl));
}

/** For the consumers tests start themselves: a test fails on what it asserts, not on what they log. */
export const quietLogger = createLogger('it', 'fatal');

/**
 * The variables that put a service on the native stack's SASL_SSL listener (SCRAM), or undefined where
 * the stack has none (testcontainers, or KAFKA_BROKERS pointing elsewhere).
 */
export function securedKafkaEnv(mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512' = 'SCRAM-SHA-512') {
  const listener = securedKafkaListener(loadStackLayout());
  if (!existsSync(listener.caFile) || !existsSync(listener.passwordFile)) return undefined;
  return {
    KAFKA_BROKERS: listener.brokers.join(','),
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SSL_CA_FILE: listener.caFile,
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: listener.username,
    KAFKA_SASL_PASSWORD_FILE: listener.passwordFile,
  };
}
