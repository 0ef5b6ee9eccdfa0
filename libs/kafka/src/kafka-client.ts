import type { BaseOptions } from '@platformatic/kafka';
import type { KafkaSecurity } from './kafka-security';
import { TopicAdmin } from './topic-admin';

export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  /** TLS and SASL for every connection; none for a plaintext cluster. */
  security?: KafkaSecurity;
}

/** The cluster and who asks: what every Kafka client of one process shares. */
export interface KafkaClient {
  readonly clientId: string;
  readonly brokers: readonly string[];
  /** Connection options for one client of this process, named `<clientId>-<role>` on the broker. */
  options(role: string): BaseOptions;
  /** An admin client; it connects on first use, and `close()` releases it. */
  admin(): TopicAdmin;
}

/** Waits 200 ms, doubling up to 5 s, between attempts of a retriable request. */
function retryBackoff(attempt: number): number {
  return Math.min(5_000, 200 * 2 ** Math.max(0, attempt - 1));
}

export function createKafkaClient(options: KafkaClientOptions): KafkaClient {
  const client: KafkaClient = {
    clientId: options.clientId,
    brokers: options.brokers,
    options: (role) => ({
      clientId: `${options.clientId}-${role}`,
      bootstrapBrokers: [...options.brokers],
      connectTimeout: 3_000,
      timeout: 30_000,
      retries: 8,
      retryDelay: (_client, _operation, attempt) => retryBackoff(attempt),
      ...options.security,
    }),
    admin: () => new TopicAdmin(client.options('admin')),
  };
  return client;
}
