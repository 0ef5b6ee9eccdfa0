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

/**
 * Makes the cluster match the catalogue, and is safe to run any number of times: missing topics are
 * created, differing configs altered (others left as they are), partitions added. Partitions are never
 * removed (Kafka cannot), so a topic with more partitions than its spec is reported, not changed.
 */
export async function ensureTopics(admin: TopicAdmin, specs: readonly TopicSpec[]): Promise<TopicChange[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.name));
  await admin.createTopics(
    missing.map((spec) => ({
      name: spec.name,
      partitions: spec.partitions,
      replicationFactor: spec.replicationFactor ?? -1,
      configs: topicConfigEntries(spec),
    })),
  );
  const changes: TopicChange[] = missing.map((spec) => ({ topic: spec.name, action: 'created' }));
  const present = specs.filter((spec) => existing.has(spec.name));
  if (present.length === 0) return changes;

  const names = present.map((spec) => spec.name);
  const [partitionCounts, configs] = await Promise.all([
    admin.partitionCounts(names),
    admin.topicConfigs(names),
  ]);
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
