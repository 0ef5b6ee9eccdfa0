import kafkajs, { type Admin } from 'kafkajs';
import { type TopicSpec, topicConfigEntries } from './topic-spec';

export interface TopicChange {
  topic: string;
  action: 'created' | 'configured' | 'partitions-added' | 'unchanged';
  detail?: string;
}

// kafkajs is CommonJS and Node's ESM loader cannot see these two named exports.
const { ConfigResourceTypes, ConfigSource } = kafkajs;

export class TopicCatalogueError extends Error {
  override readonly name = 'TopicCatalogueError';
}

/**
 * Makes the cluster match the catalogue, and is safe to run any number of times: missing topics are
 * created, differing configs altered, partitions added. Partitions are never removed (Kafka cannot),
 * so a topic with more partitions than its spec is reported, not changed.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<TopicChange[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor: spec.replicationFactor ?? -1,
        configEntries: Object.entries(topicConfigEntries(spec)).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  const changes: TopicChange[] = missing.map((spec) => ({ topic: spec.name, action: 'created' }));
  const present = specs.filter((spec) => existing.has(spec.name));
  if (present.length === 0) return changes;

  const metadata = await admin.fetchTopicMetadata({ topics: present.map((spec) => spec.name) });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((spec) => ({ type: ConfigResourceTypes.TOPIC, name: spec.name })),
  });
  for (const spec of present) {
    const partitionCount = metadata.topics.find((topic) => topic.name === spec.name)?.partitions.length ?? 0;
    const current = new Map(
      described.resources
        .find((resource) => resource.resourceName === spec.name)
        ?.configEntries.map((entry) => [entry.configName, entry.configValue]) ?? [],
    );
    const wanted = topicConfigEntries(spec);
    const differing = Object.entries(wanted).filter(([name, value]) => current.get(name) !== value);
    if (differing.length > 0) {
      // Incremental alteration is not in kafkajs; a full alterConfigs replaces every dynamic config, so
      // the topic's other dynamic overrides are carried over alongside the wanted ones.
      const merged = { ...Object.fromEntries(dynamicOverrides(described, spec.name)), ...wanted };
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: spec.name,
            configEntries: Object.entries(merged).map(([name, value]) => ({ name, value })),
          },
        ],
      });
      changes.push({
        topic: spec.name,
        action: 'configured',
        detail: differing.map(([name, value]) => `${name}=${value} (was ${current.get(name)})`).join(', '),
      });
    }
    if (partitionCount < spec.partitions) {
      await admin.createPartitions({ topicPartitions: [{ topic: spec.name, count: spec.partitions }] });
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

type DescribeResult = Awaited<ReturnType<Admin['describeConfigs']>>;

function dynamicOverrides(described: DescribeResult, topic: string): Array<[string, string]> {
  const resource = described.resources.find((entry) => entry.resourceName === topic);
  return (resource?.configEntries ?? [])
    .filter(
      (entry) => !entry.isDefault && !entry.readOnly && entry.configSource === ConfigSource.TOPIC_CONFIG,
    )
    .map((entry) => [entry.configName, entry.configValue]);
}
