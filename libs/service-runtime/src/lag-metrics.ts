import { type KafkaClient, kafkaErrorMessage, type TopicAdmin } from '@wms-webhooks/kafka';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';

/**
 * Consumer lag of this service's group, per partition, computed when Prometheus scrapes: the topic's
 * high watermark minus the group's committed offset. Each service reports its own group, so a missing
 * service shows as a missing series rather than a stale number.
 */
export function registerLagMetrics(
  registry: Registry,
  kafka: KafkaClient,
  logger: Logger,
  group: { groupId: string; topic: string },
) {
  let admin: TopicAdmin | undefined;
  new Gauge({
    name: 'wms_webhooks_consumer_lag_messages',
    help: 'Records on the topic not yet committed by the consumer group, per partition.',
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
    async collect() {
      try {
        admin ??= kafka.admin();
        const [offsets, committed] = await Promise.all([
          admin.topicOffsets(group.topic),
          admin.committedOffsets(group.groupId, group.topic),
        ]);
        const committedByPartition = new Map(
          committed.map((entry) => [entry.partition, Number(entry.offset)]),
        );
        for (const partition of offsets) {
          const done = committedByPartition.get(partition.partition) ?? -1;
          // No commit yet: everything from the low watermark on is waiting.
          const from = done >= 0 ? done : Number(partition.low);
          this.set(
            { group: group.groupId, topic: group.topic, partition: String(partition.partition) },
            Math.max(0, Number(partition.high) - from),
          );
        }
      } catch (error) {
        logger.warn({ err: kafkaErrorMessage(error) }, 'consumer lag not collected');
      }
    },
  });
  return {
    close: async () => {
      await admin?.close();
    },
  };
}
