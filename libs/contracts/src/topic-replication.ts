import { ConfigError, loadConfig } from '@wms-webhooks/config';
import { z } from 'zod';
import type { TopicReplication } from './topic-catalogue';

/** The variables every service and tool that applies the catalogue reads. */
export const topicReplicationEnv = {
  KAFKA_REPLICATION_FACTOR: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1')
    .optional()
    .describe(
      "Copies of each catalogue topic's partitions (3 on a replicated cluster); unset takes the broker's `default.replication.factor`.",
    ),
  KAFKA_MIN_INSYNC_REPLICAS: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1')
    .optional()
    .describe(
      "Copies that must hold a write before it counts (acks=all; 2 on a replicated cluster); unset takes the broker's `min.insync.replicas`. Above the factor, the start stops.",
    ),
};

/**
 * The catalogue's replication from validated variables. A minimum above the factor would refuse every
 * write, so it stops the start, naming both.
 */
export function topicReplicationOf(config: {
  KAFKA_REPLICATION_FACTOR?: number | undefined;
  KAFKA_MIN_INSYNC_REPLICAS?: number | undefined;
}): TopicReplication {
  const factor = config.KAFKA_REPLICATION_FACTOR;
  const minInsync = config.KAFKA_MIN_INSYNC_REPLICAS;
  if (factor !== undefined && minInsync !== undefined && minInsync > factor) {
    throw new ConfigError([
      {
        variable: 'KAFKA_MIN_INSYNC_REPLICAS',
        message: `is ${minInsync}, more than KAFKA_REPLICATION_FACTOR (${factor}): no write could succeed`,
      },
    ]);
  }
  return { factor, minInsync };
}

export function topicReplicationFromEnv(env: NodeJS.ProcessEnv = process.env): TopicReplication {
  return topicReplicationOf(loadConfig(z.object(topicReplicationEnv), env));
}
