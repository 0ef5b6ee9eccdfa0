import { Kafka, type KafkaConfig, type logCreator, logLevel } from 'kafkajs';

export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  logCreator?: logCreator;
  logLevel?: logLevel;
}

export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: options.logLevel ?? logLevel.WARN,
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 200, retries: 8 },
  };
  if (options.logCreator) config.logCreator = options.logCreator;
  return new Kafka(config);
}
