import {
  Admin,
  type BaseOptions,
  ConfigResourceTypes,
  IncrementalAlterConfigOperationTypes,
  ListOffsetTimestamps,
} from '@platformatic/kafka';
import { kafkaErrorReasons } from './kafka-errors';

export interface NewTopic {
  name: string;
  partitions: number;
  /** -1 takes the broker's default.replication.factor. */
  replicationFactor?: number;
  configs?: Record<string, string>;
}

/** A partition's offsets: the first still kept and the next to be written, as decimal strings. */
export interface PartitionOffsets {
  partition: number;
  low: string;
  high: string;
}

/** A group's committed offset for one partition; a partition it has committed nothing on is absent or '-1'. */
export interface CommittedOffset {
  partition: number;
  offset: string;
}

/**
 * The admin operations this project uses, in its own terms: topics, their configs and offsets, and
 * consumer groups. It wraps one @platformatic/kafka Admin, which connects on first use.
 */
export class TopicAdmin {
  private readonly admin: Admin;

  constructor(options: BaseOptions) {
    this.admin = new Admin(options);
  }

  async listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  /**
   * Creates the topics, each with its own configs (a create request applies its configs to all it names).
   * A topic that exists by the time the broker answers (created by a service starting alongside, or one
   * the broker's metadata did not list yet) is fine, and its name is returned: it was not created.
   */
  async createTopics(topics: readonly NewTopic[]): Promise<string[]> {
    const existed = await Promise.all(
      topics.map(async (topic) => {
        try {
          await this.admin.createTopics({
            topics: [topic.name],
            partitions: topic.partitions,
            replicas: topic.replicationFactor ?? -1,
            configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
          });
          return [];
        } catch (error) {
          if (!kafkaErrorReasons(error).every((reason) => reason.startsWith('TOPIC_ALREADY_EXISTS')))
            throw error;
          return [topic.name];
        }
      }),
    );
    return existed.flat();
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.admin.deleteTopics({ topics: [...names] });
  }

  /** Partition count of each topic asked for that exists. */
  async partitionCounts(names: readonly string[]): Promise<Map<string, number>> {
    const metadata = await this.admin.metadata({ topics: [...names], forceUpdate: true });
    return new Map([...metadata.topics].map(([name, topic]) => [name, topic.partitionsCount]));
  }

  async createPartitions(name: string, count: number): Promise<void> {
    await this.admin.createPartitions({ topics: [{ name, count }] });
  }

  /** Each topic's effective configs, by name: set on the topic or inherited from the broker. */
  async topicConfigs(names: readonly string[]): Promise<Map<string, Map<string, string | null>>> {
    if (names.length === 0) return new Map();
    const described = await this.admin.describeConfigs({
      resources: names.map((resourceName) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName })),
    });
    return new Map(
      described.map((resource) => [
        resource.resourceName,
        new Map(resource.configs.map((config) => [config.name, config.value ?? null])),
      ]),
    );
  }

  /** Sets the given configs of a topic and leaves its others as they are. */
  async setTopicConfigs(name: string, configs: Record<string, string>): Promise<void> {
    await this.admin.incrementalAlterConfigs({
      resources: [
        {
          resourceType: ConfigResourceTypes.TOPIC,
          resourceName: name,
          configs: Object.entries(configs).map(([configName, value]) => ({
            name: configName,
            configOperation: IncrementalAlterConfigOperationTypes.SET,
            value,
          })),
        },
      ],
    });
  }

  async topicOffsets(topic: string): Promise<PartitionOffsets[]> {
    const partitions = await this.partitionsOf(topic);
    const [low, high] = await Promise.all([
      this.offsetsAt(topic, partitions, ListOffsetTimestamps.EARLIEST),
      this.offsetsAt(topic, partitions, ListOffsetTimestamps.LATEST),
    ]);
    return partitions.map((partition) => ({
      partition,
      low: String(low.get(partition) ?? 0n),
      high: String(high.get(partition) ?? 0n),
    }));
  }

  /**
   * Each partition's first offset whose record's timestamp is at or after `time` (ms since the epoch), or
   * its end offset where every record is older.
   */
  async offsetsAtTime(topic: string, time: number): Promise<Map<number, bigint>> {
    const partitions = await this.partitionsOf(topic);
    const [found, high] = await Promise.all([
      this.offsetsAt(topic, partitions, BigInt(time)),
      this.offsetsAt(topic, partitions, ListOffsetTimestamps.LATEST),
    ]);
    return new Map(
      partitions.map((partition) => {
        const offset = found.get(partition) ?? -1n;
        return [partition, offset >= 0n ? offset : (high.get(partition) ?? 0n)];
      }),
    );
  }

  private async partitionsOf(topic: string): Promise<number[]> {
    // The client's cached metadata is enough to know the partitions: this runs on every lag scrape.
    const metadata = await this.admin.metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    return Array.from({ length: count }, (_, partition) => partition);
  }

  private async offsetsAt(topic: string, partitions: number[], timestamp: bigint) {
    if (partitions.length === 0) return new Map<number, bigint>();
    const [listed] = await this.admin.listOffsets({
      topics: [
        { name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) },
      ],
    });
    return new Map((listed?.partitions ?? []).map((entry) => [entry.partitionIndex, entry.offset]));
  }

  async committedOffsets(groupId: string, topic: string): Promise<CommittedOffset[]> {
    const [group] = await this.admin.listConsumerGroupOffsets({ groups: [groupId] });
    const partitions = group?.topics.find((entry) => entry.name === topic)?.partitions ?? [];
    return partitions.map((entry) => ({
      partition: entry.partitionIndex,
      offset: String(entry.committedOffset),
    }));
  }

  /**
   * Records of the topic the group has not committed yet, per partition: the end offset minus the
   * committed one, or minus the first offset still kept where the group has committed nothing.
   */
  async consumerLag(groupId: string, topic: string): Promise<Array<{ partition: number; lag: number }>> {
    const [offsets, committed] = await Promise.all([
      this.topicOffsets(topic),
      this.committedOffsets(groupId, topic),
    ]);
    const committedByPartition = new Map(committed.map((entry) => [entry.partition, Number(entry.offset)]));
    return offsets.map(({ partition, low, high }) => {
      const done = committedByPartition.get(partition) ?? -1;
      return { partition, lag: Math.max(0, Number(high) - (done >= 0 ? done : Number(low))) };
    });
  }

  async deleteGroups(groupIds: readonly string[]): Promise<void> {
    if (groupIds.length > 0) await this.admin.deleteGroups({ groups: [...groupIds] });
  }

  async close(): Promise<void> {
    await this.admin.close();
  }
}
