import type { TopicSpec } from '@wms-webhooks/kafka';
import { type AvroRecordSchema, readSchema } from '@wms-webhooks/schemas';

const day = 24 * 60 * 60 * 1000;

/**
 * Every topic's max.message.bytes: Kafka's own default, written down so that producers, the ingester's
 * payload limit and the brokers agree on it, and a broker default changed by hand cannot surprise them.
 */
export const maxMessageBytes = 1_048_576;

export interface CatalogueEntry {
  spec: TopicSpec;
  /** The .avsc file in schemas/ that the topic's values are written with. */
  schemaFile: string;
}

/** One topic per delay step; its records wait there until due. Retention outlasts the longest wait. */
function retryTier(tier: string) {
  return {
    spec: {
      name: `webhooks.retry.${tier}`,
      partitions: 6,
      cleanupPolicy: 'delete',
      retentionMs: 3 * day,
      maxMessageBytes,
    },
    schemaFile: 'delivery-task.avsc',
  } as const satisfies CatalogueEntry;
}

/**
 * Every topic the system owns, with its partitions, retention and cleanup policy. Partition counts are
 * the unit of parallelism: at most one instance of a service works on a partition at a time.
 */
const entries = {
  wmsEvents: {
    spec: {
      name: 'wms.events',
      partitions: 12,
      cleanupPolicy: 'delete',
      retentionMs: 7 * day,
      maxMessageBytes,
    },
    schemaFile: 'wms-event.avsc',
  },
  wmsEventsInvalid: {
    spec: {
      name: 'wms.events.invalid',
      partitions: 3,
      cleanupPolicy: 'delete',
      retentionMs: 30 * day,
      maxMessageBytes,
    },
    schemaFile: 'invalid-wms-event.avsc',
  },
  acceptedEvents: {
    spec: {
      name: 'webhooks.events',
      partitions: 12,
      cleanupPolicy: 'delete',
      retentionMs: 3 * day,
      maxMessageBytes,
    },
    schemaFile: 'wms-event.avsc',
  },
  deliveries: {
    spec: {
      name: 'webhooks.deliveries',
      partitions: 12,
      cleanupPolicy: 'delete',
      retentionMs: 3 * day,
      maxMessageBytes,
    },
    schemaFile: 'delivery-task.avsc',
  },
  retry1m: retryTier('1m'),
  retry5m: retryTier('5m'),
  retry15m: retryTier('15m'),
  retry30m: retryTier('30m'),
  retry2h: retryTier('2h'),
  dead: {
    spec: {
      name: 'webhooks.dead',
      partitions: 3,
      cleanupPolicy: 'delete',
      retentionMs: 30 * day,
      maxMessageBytes,
    },
    schemaFile: 'delivery-task.avsc',
  },
  quarantine: {
    spec: {
      name: 'webhooks.quarantine',
      partitions: 3,
      cleanupPolicy: 'delete',
      retentionMs: 30 * day,
      maxMessageBytes,
    },
    schemaFile: 'quarantined-record.avsc',
  },
  definitions: {
    spec: {
      name: 'webhooks.definitions',
      partitions: 3,
      cleanupPolicy: 'compact',
      retentionMs: -1,
      maxMessageBytes,
      config: { 'min.cleanable.dirty.ratio': '0.1', 'segment.ms': String(day) },
    },
    schemaFile: 'webhook-change.avsc',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type TopicKey = keyof typeof entries;

/**
 * How many copies of each partition the cluster keeps, and how many must hold a write before the
 * producer's acks=all succeeds. Unset, each takes the broker's default (default.replication.factor,
 * min.insync.replicas); production clusters set 3 and 2 (KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS).
 */
export interface TopicReplication {
  factor?: number;
  minInsync?: number;
}
export type TopicNames = Record<TopicKey, string>;

/**
 * The catalogue, with every topic name prefixed. The prefix (WEBHOOKS_TOPIC_PREFIX) lets several
 * environments share a cluster and gives each test its own topics; production uses none.
 */
export function topicCatalogue(
  prefix = '',
  replication: TopicReplication = {},
): Record<TopicKey, CatalogueEntry> {
  const minInsync: Record<string, string> =
    replication.minInsync === undefined ? {} : { 'min.insync.replicas': String(replication.minInsync) };
  return Object.fromEntries(
    Object.entries(entries).map(([key, entry]) => {
      const spec: TopicSpec = {
        ...entry.spec,
        name: `${prefix}${entry.spec.name}`,
        ...(replication.factor === undefined ? {} : { replicationFactor: replication.factor }),
        config: { ...('config' in entry.spec ? entry.spec.config : {}), ...minInsync },
      };
      return [key, { ...entry, spec }];
    }),
  ) as Record<TopicKey, CatalogueEntry>;
}

export function topicNames(prefix = ''): TopicNames {
  return Object.fromEntries(
    Object.entries(topicCatalogue(prefix)).map(([key, entry]) => [key, entry.spec.name]),
  ) as TopicNames;
}

export function catalogueEntries(prefix = '', replication: TopicReplication = {}): CatalogueEntry[] {
  return Object.values(topicCatalogue(prefix, replication));
}

export function catalogueSchema(entry: CatalogueEntry): AvroRecordSchema {
  return readSchema(entry.schemaFile);
}
