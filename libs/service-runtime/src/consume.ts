import { type LaneConsumerOptions, runLaneConsumer } from '@wms-webhooks/kafka';
import type { ServiceContext } from './service-context';

export type ConsumeOptions<T> = Omit<LaneConsumerOptions<T>, 'kafka' | 'logger' | 'sessionTimeout'>;

/**
 * Starts a service's consumer: the group id gets the environment's topic prefix, like every topic, so
 * environments sharing a cluster never share a group. Returns the group too, for lag metrics.
 */
export async function consume<T>(context: ServiceContext, options: ConsumeOptions<T>) {
  const group = {
    groupId: `${context.config.WEBHOOKS_TOPIC_PREFIX}${options.groupId}`,
    topic: options.topic,
  };
  const consumer = await runLaneConsumer<T>({
    fetchMaxWaitMs: context.config.KAFKA_FETCH_MAX_WAIT_MS,
    fetchMinBytes: context.config.KAFKA_FETCH_MIN_BYTES,
    fetchMaxBytesPerPartition: context.config.KAFKA_FETCH_MAX_BYTES_PER_PARTITION,
    commitIntervalMs: context.config.KAFKA_COMMIT_INTERVAL_MS,
    ...options,
    ...group,
    kafka: context.kafka,
    logger: context.logger,
    sessionTimeout: context.config.KAFKA_SESSION_TIMEOUT_MS,
  });
  return { consumer, group };
}
