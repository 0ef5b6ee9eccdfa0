import { describe, expect, it } from 'vitest';
import { ensureTopics } from './ensure-topics';
import { type TopicSpec, topicConfigEntries } from './topic-spec';

const spec: TopicSpec = {
  name: 'wms.events',
  partitions: 4,
  cleanupPolicy: 'delete',
  retentionMs: 604_800_000,
  maxMessageBytes: 2_097_152,
};

/**
 * A cluster holding the topic with 2 partitions, whose metadata does not list it yet: not in the topic
 * list, and not in the partition counts for the first `countsLagging` asks.
 */
function clusterNotListingIt(configs: Map<string, string | null>, countsLagging = 0) {
  const calls: string[] = [];
  let asked = 0;
  return {
    calls,
    admin: {
      listTopics: async () => [],
      createTopics: async (topics: ReadonlyArray<{ name: string }>) => topics.map((topic) => topic.name),
      partitionCounts: async () => (asked++ < countsLagging ? new Map() : new Map([[spec.name, 2]])),
      topicConfigs: async () => new Map([[spec.name, configs]]),
      setTopicConfigs: async () => {
        calls.push('setTopicConfigs');
      },
      createPartitions: async (name: string, count: number) => {
        calls.push(`createPartitions ${name} ${count}`);
      },
    },
  };
}

describe('when the broker refuses to create a topic its metadata did not list, as it exists', () => {
  it('adds the partitions the catalogue asks for instead of reporting it created', async () => {
    const configs = new Map(Object.entries(topicConfigEntries(spec)));
    const { admin, calls } = clusterNotListingIt(configs);
    expect(await ensureTopics(admin, [spec])).toEqual([
      { topic: spec.name, action: 'partitions-added', detail: '2 → 4' },
    ]);
    expect(calls).toEqual(['createPartitions wms.events 4']);
  });

  it('waits for its partition count instead of taking it for 0', async () => {
    const configs = new Map(Object.entries(topicConfigEntries(spec)));
    const { admin, calls } = clusterNotListingIt(configs, 2);
    expect(await ensureTopics(admin, [{ ...spec, partitions: 2 }])).toEqual([
      { topic: spec.name, action: 'unchanged' },
    ]);
    expect(calls).toEqual([]);
  });
});
