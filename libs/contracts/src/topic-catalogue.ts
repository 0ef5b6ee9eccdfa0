import type { TopicSpec } from '@wms-webhooks/kafka';
import { type AvroRecordSchema, readSchema } from '@wms-webhooks/schemas';

const day = 24 * 60 * 60 * 1000;

export interface CatalogueEntry {
  spec: TopicSpec;
  /** The .avsc file in schemas/ that the topic's values are written with. */
  schemaFile: string;
}

/**
 * Every topic the system owns, with its partitions, retention and cleanup policy. Partition counts are
 * the unit of parallelism: an instance of a service can own at most one partition's work per topic.
 */
export const topicCatalogue = {
  wmsEvents: {
    spec: { name: 'wms.events', partitions: 12, cleanupPolicy: 'delete', retentionMs: 7 * day },
    schemaFile: 'wms-event.avsc',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type TopicKey = keyof typeof topicCatalogue;

export function catalogueEntries(): CatalogueEntry[] {
  return Object.values(topicCatalogue);
}

export function catalogueSchema(entry: CatalogueEntry): AvroRecordSchema {
  return readSchema(entry.schemaFile);
}
