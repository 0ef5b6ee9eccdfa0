import { setTimeout } from 'node:timers/promises';
import type { TopicAdmin } from './topic-admin';
import { type TopicSpec, topicConfigEntries } from './topic-spec';

export interface TopicChange {
  topic: string;
  action: 'created' | 'configured' | 'partitions-added' | 'unchanged';
  detail?: string;
}

export class TopicCatalogueError extends Error {
  override readonly name = 'TopicCatalogueError';
}

/** How long a topic another process just created may take to show in the metadata brokers answer with. */
const metadataWaitMs = 10_000;

/**
 * Each topic's partition count, once the metadata lists them all: a topic another process created a
 * moment ago may be missing from it for a while, and its count is not 0.
 */
async function visiblePartitionCounts(
  admin: Pick<TopicAdmin, 'partitionCounts'>,
  names: readonly string[],
): Promise<Map<string, number>> {
  const deadline = Date.now() + metadataWaitMs;
  for (;;) {
    const counts = await admin.partitionCounts(names);
    const unseen = names.filter((name) => !counts.has(name));
    if (unseen.length === 0) return counts;
    if (Date.now() > deadline)
      throw new TopicCatalogueError(
        `${unseen.join(', ')} exist but the brokers' metadata has not listed them for ${metadataWaitMs / 1000} s`,
      );
    await setTimeout(100);
  }
}

/**
 * Makes the cluster match the catalogue, and is safe to run any number of times: missing topics are
 * created, differing configs altered (others left as they are), partitions added. Partitions are never
 * removed (Kafka cannot), so a topic with more partitions than its spec is reported, not changed.
 */
export async function ensureTopics(
  admin: Pick<
    TopicAdmin,
    | 'listTopics'
    | 'createTopics'
    | 'partitionCounts'
    | 'topicConfigs'
    | 'setTopicConfigs'
    | 'createPartitions'
  >,
  specs: readonly TopicSpec[],
): Promise<TopicChange[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.name));
  // Metadata may not list a topic created a moment ago; the broker refusing to create it again says so.
  const existedAfterAll = await admin.createTopics(
    missing.map((spec) => ({
      name: spec.name,
      partitions: spec.partitions,
      replicationFactor: spec.replicationFactor ?? -1,
      configs: topicConfigEntries(spec),
    })),
  );
  for (const name of existedAfterAll) existing.add(name);
  const changes: TopicChange[] = missing
    .filter((spec) => !existing.has(spec.name))
    .map((spec) => ({ topic: spec.name, action: 'created' }));
  const present = specs.filter((spec) => existing.has(spec.name));
  if (present.length === 0) return changes;

  const names = present.map((spec) => spec.name);
  const partitionCounts = await visiblePartitionCounts(admin, names);
  const configs = await admin.topicConfigs(names);
  for (const spec of present) {
    const partitionCount = partitionCounts.get(spec.name) ?? 0;
    const current = configs.get(spec.name);
    const differing = Object.entries(topicConfigEntries(spec)).filter(
      ([name, value]) => current?.get(name) !== value,
    );
    if (differing.length > 0) {
      await admin.setTopicConfigs(spec.name, Object.fromEntries(differing));
      changes.push({
        topic: spec.name,
        action: 'configured',
        detail: differing.map(([name, value]) => `${name}=${value} (was ${current?.get(name)})`).join(', '),
      });
    }
    if (partitionCount < spec.partitions) {
      await admin.createPartitions(spec.name, spec.partitions);
      changes.push({
        topic: spec.name,
        action: 'partitions-added',
        detail: `${partitionCount} → ${spec.partitions}`,
      });
    } else if (partitionCount > spec.partitions) {
      throw new TopicCatalogueError(
        `${spec.name} has ${partitionCount} partitions, the catalogue says ${spec.partitions}; Kafka cannot remove partitions, so raise the catalogue's count`,
      );
    }
    if (differing.length === 0 && partitionCount === spec.partitions) {
      changes.push({ topic: spec.name, action: 'unchanged' });
    }
  }
  return changes;
}
