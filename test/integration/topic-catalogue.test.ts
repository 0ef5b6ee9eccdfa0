import { ensureTopics, TopicCatalogueError, type TopicSpec } from '@wms-webhooks/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { testKafka } from '../support/stack';
import { uniqueName } from '../support/unique';
import { waitFor } from '../support/wait-for';

describe('applying a topic catalogue', () => {
  const kafka = testKafka('it-topic-catalogue');
  const admin = kafka.admin();
  const created: string[] = [];

  const specFor = (overrides: Partial<TopicSpec> = {}): TopicSpec => {
    const spec: TopicSpec = {
      name: uniqueName('it.catalogue'),
      partitions: 2,
      cleanupPolicy: 'delete',
      retentionMs: 3_600_000,
      maxMessageBytes: 1_048_576,
      ...overrides,
    };
    created.push(spec.name);
    return spec;
  };

  const configOf = async (topic: string) =>
    Object.fromEntries((await admin.topicConfigs([topic])).get(topic) ?? []);

  afterAll(async () => {
    await admin.deleteTopics(created).catch(() => undefined);
    await admin.close();
  });

  it('creates a missing topic with its partitions, retention and cleanup policy', async () => {
    const spec = specFor({ cleanupPolicy: 'compact', retentionMs: -1 });
    expect(await ensureTopics(admin, [spec])).toEqual([{ topic: spec.name, action: 'created' }]);

    expect((await admin.partitionCounts([spec.name])).get(spec.name)).toBe(2);
    expect(await configOf(spec.name)).toMatchObject({ 'cleanup.policy': 'compact', 'retention.ms': '-1' });
  });

  it('creates a topic once when two services apply the catalogue at the same moment', async () => {
    const spec = specFor();
    const other = kafka.admin();
    const both = await Promise.all([ensureTopics(admin, [spec]), ensureTopics(other, [spec])]).finally(() =>
      other.close(),
    );
    // One creates it; the other finds it there, once the metadata lists it.
    expect(both.flat().filter((change) => change.action === 'created')).toHaveLength(1);
    expect((await admin.partitionCounts([spec.name])).get(spec.name)).toBe(2);
  });

  it('changes nothing the second time', async () => {
    const spec = specFor();
    await ensureTopics(admin, [spec]);
    expect(await ensureTopics(admin, [spec])).toEqual([{ topic: spec.name, action: 'unchanged' }]);
  });

  it('alters a changed retention and keeps other overrides, its own and ones set by hand', async () => {
    const spec = specFor({ config: { 'max.message.bytes': '2097152' } });
    await ensureTopics(admin, [spec]);
    await admin.setTopicConfigs(spec.name, { 'segment.ms': '86400000' });
    const changes = await ensureTopics(admin, [{ ...spec, retentionMs: 7_200_000 }]);
    expect(changes).toMatchObject([{ topic: spec.name, action: 'configured' }]);
    // The controller has committed the change; the broker that answers describeConfigs applies it a
    // moment later (seen under load: the old retention read back once in a full run).
    const applied = await waitFor(
      async () => {
        const config = await configOf(spec.name);
        return config['retention.ms'] === '7200000' ? config : undefined;
      },
      { message: 'the new retention applied' },
    );
    expect(applied).toMatchObject({ 'max.message.bytes': '2097152', 'segment.ms': '86400000' });
  });

  it('adds partitions when the catalogue asks for more', async () => {
    const spec = specFor();
    await ensureTopics(admin, [spec]);
    expect(await ensureTopics(admin, [{ ...spec, partitions: 4 }])).toEqual([
      { topic: spec.name, action: 'partitions-added', detail: '2 → 4' },
    ]);
  });

  it('refuses a catalogue with fewer partitions than the topic has', async () => {
    const spec = specFor({ partitions: 3 });
    await ensureTopics(admin, [spec]);
    await expect(ensureTopics(admin, [{ ...spec, partitions: 1 }])).rejects.toThrow(TopicCatalogueError);
  });
});
