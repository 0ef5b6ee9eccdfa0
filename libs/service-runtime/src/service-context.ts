import {
  applyCatalogue,
  catalogueEntries,
  type TopicNames,
  topicNames,
  topicReplicationOf,
} from '@wms-webhooks/contracts';
import {
  AvroSerde,
  createDurableProducer,
  createKafkaClient,
  createSchemaRegistry,
  type DurableProducer,
  type KafkaClient,
  type KafkaSecurityConfig,
  kafkaErrorMessage,
  kafkaSecurityOf,
} from '@wms-webhooks/kafka';
import { type Db, MongoClient } from 'mongodb';
import type { Registry } from 'prom-client';
import { createLogger, type Logger } from './logger';
import { createMetricsRegistry } from './metrics';
import { createQuarantine, type Quarantine } from './quarantine';

/** Where the service's Kafka, schema registry and store are, from its environment only. */
export interface Endpoints {
  kafkaBrokers: string[];
  schemaRegistryUrl: string;
  mongodbUri: string;
}

export interface ServiceContext {
  service: string;
  logger: Logger;
  metrics: Registry;
  endpoints: Endpoints;
  kafka: KafkaClient;
  serde: AvroSerde;
  producer: DurableProducer;
  /** Where the service files records it can never process. */
  quarantine: Quarantine;
  topics: TopicNames;
  mongo: MongoClient;
  db: Db;
  config: ContextConfig;
  close(): Promise<void>;
}

/** The validated variables of serviceEnv that the context needs. */
export interface ContextConfig extends KafkaSecurityConfig {
  KAFKA_BROKERS: string[];
  SCHEMA_REGISTRY_URL: string;
  MONGODB_URI: string;
  LOG_LEVEL: string;
  WEBHOOKS_TOPIC_PREFIX: string;
  MONGODB_DATABASE: string;
  KAFKA_SESSION_TIMEOUT_MS: number;
  KAFKA_FETCH_MIN_BYTES: number;
  KAFKA_FETCH_MAX_WAIT_MS: number;
  KAFKA_COMMIT_INTERVAL_MS: number;
  KAFKA_FETCH_MAX_BYTES_PER_PARTITION: number;
  KAFKA_REPLICATION_FACTOR?: number | undefined;
  KAFKA_MIN_INSYNC_REPLICAS?: number | undefined;
}

/**
 * Connects what every service needs: the endpoints its environment names (a service never starts or
 * guesses one), Kafka with the service's logger, the registry, the store, and the topic catalogue and
 * schemas applied.
 */
export async function createServiceContext(service: string, config: ContextConfig): Promise<ServiceContext> {
  const options = { service, topicPrefix: config.WEBHOOKS_TOPIC_PREFIX, database: config.MONGODB_DATABASE };
  const logger = createLogger(service, config.LOG_LEVEL);
  const endpoints: Endpoints = {
    kafkaBrokers: config.KAFKA_BROKERS,
    schemaRegistryUrl: config.SCHEMA_REGISTRY_URL,
    mongodbUri: config.MONGODB_URI,
  };
  const kafka = createKafkaClient({
    clientId: options.service,
    brokers: endpoints.kafkaBrokers,
    security: kafkaSecurityOf(config),
  });
  const serde = new AvroSerde(createSchemaRegistry(endpoints.schemaRegistryUrl));
  const admin = kafka.admin();
  const catalogue = catalogueEntries(options.topicPrefix, topicReplicationOf(config));
  try {
    await applyCatalogue(admin, serde, catalogue);
  } catch (error) {
    // The client's outer message ("Listing topics failed.") hides the reason, e.g. a refused SASL login.
    throw new Error(`could not apply the topic catalogue: ${kafkaErrorMessage(error)}`, { cause: error });
  } finally {
    await admin.close();
  }
  const limits = new Map(catalogue.map(({ spec }) => [spec.name, spec.maxMessageBytes]));
  const producer = createDurableProducer(kafka, {
    maxMessageBytes: (topic) => limits.get(topic),
    onRetry: (details) => logger.warn(details, 'produce failed; retrying'),
  });
  const metrics = createMetricsRegistry(options.service);
  const topics = topicNames(options.topicPrefix);
  const mongo = new MongoClient(endpoints.mongodbUri, {
    serverSelectionTimeoutMS: 5_000,
    appName: options.service,
  });
  await mongo.connect();
  logger.info({ endpoints, topicPrefix: options.topicPrefix, database: options.database }, 'connected');
  return {
    service: options.service,
    logger,
    metrics,
    endpoints,
    kafka,
    serde,
    producer,
    quarantine: createQuarantine({
      service: options.service,
      topic: topics.quarantine,
      maxMessageBytesOf: (topic) => limits.get(topic),
      producer,
      serde,
      metrics,
      logger,
    }),
    topics,
    mongo,
    db: mongo.db(options.database),
    config,
    close: async () => {
      await producer.close();
      await mongo.close();
    },
  };
}
