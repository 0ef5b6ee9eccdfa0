import { applyCatalogue, catalogueEntries, type TopicNames, topicNames } from '@wms-webhooks/contracts';
import { type Endpoints, resolveEndpoints } from '@wms-webhooks/endpoints';
import {
  AvroSerde,
  createDurableProducer,
  createKafkaClient,
  createSchemaRegistry,
  type DurableProducer,
  type KafkaClient,
} from '@wms-webhooks/kafka';
import { type Db, MongoClient } from 'mongodb';
import type { Registry } from 'prom-client';
import { createLogger, type Logger } from './logger';
import { createMetricsRegistry } from './metrics';

export interface ServiceContext {
  service: string;
  logger: Logger;
  metrics: Registry;
  endpoints: Endpoints;
  kafka: KafkaClient;
  serde: AvroSerde;
  producer: DurableProducer;
  topics: TopicNames;
  mongo: MongoClient;
  db: Db;
  config: ContextConfig;
  close(): Promise<void>;
}

/** The validated variables of serviceEnv that the context needs. */
export interface ContextConfig {
  LOG_LEVEL: string;
  WEBHOOKS_TOPIC_PREFIX: string;
  MONGODB_DATABASE: string;
  KAFKA_SESSION_TIMEOUT_MS: number;
  KAFKA_FETCH_MIN_BYTES: number;
  KAFKA_FETCH_MAX_WAIT_MS: number;
  KAFKA_FETCH_MAX_BYTES_PER_PARTITION: number;
}

/**
 * Connects what every service needs: endpoints from the one resolver (starting nothing), Kafka with
 * the service's logger, the registry, the store, and the topic catalogue and schemas applied.
 */
export async function createServiceContext(
  service: string,
  config: ContextConfig,
  env: NodeJS.ProcessEnv,
): Promise<ServiceContext> {
  const options = { service, topicPrefix: config.WEBHOOKS_TOPIC_PREFIX, database: config.MONGODB_DATABASE };
  const logger = createLogger(service, config.LOG_LEVEL);
  const endpoints = await resolveEndpoints({ start: false, env });
  const kafka = createKafkaClient({ clientId: options.service, brokers: endpoints.kafkaBrokers });
  const serde = new AvroSerde(createSchemaRegistry(endpoints.schemaRegistryUrl));
  const admin = kafka.admin();
  try {
    await applyCatalogue(admin, serde, catalogueEntries(options.topicPrefix));
  } finally {
    await admin.close();
  }
  const producer = createDurableProducer(kafka);
  const mongo = new MongoClient(endpoints.mongodbUri, {
    serverSelectionTimeoutMS: 5_000,
    appName: options.service,
  });
  await mongo.connect();
  logger.info({ endpoints, topicPrefix: options.topicPrefix, database: options.database }, 'connected');
  return {
    service: options.service,
    logger,
    metrics: createMetricsRegistry(options.service),
    endpoints,
    kafka,
    serde,
    producer,
    topics: topicNames(options.topicPrefix),
    mongo,
    db: mongo.db(options.database),
    config,
    close: async () => {
      await producer.close();
      await mongo.close();
    },
  };
}
