import { type KafkaClient, kafkaErrorMessage, type TopicAdmin } from '@wms-webhooks/kafka';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';

/**
 * Consumer lag of this service's group, per partition, computed when Prometheus scrapes (see
 * TopicAdmin.consumerLag). Each service reports its own group, so a missing
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
        for (const { partition, lag } of await admin.consumerLag(group.groupId, group.topic)) {
          this.set({ group: group.groupId, topic: group.topic, partition: String(partition) }, lag);
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
