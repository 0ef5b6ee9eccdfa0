import { describe, expect, it } from 'vitest';
import { type KafkaNode, loadStackLayout } from '../stack-config';
import { serverProperties } from './kafka';

const layout = loadStackLayout({ STACK_KAFKA_NODES: '3', STACK_DIR: '/tmp/stack' });

/** The server.properties a node is started with, as a map. */
function propertiesOf(node: KafkaNode | undefined) {
  if (!node) throw new Error('no such node');
  return new Map(
    serverProperties(layout, node, 'keystore-password')
      .split('\n')
      .filter((line) => line.includes('=') && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('the configuration of a three-node cluster', () => {
  const [one, two] = [propertiesOf(layout.kafka.nodes[0]), propertiesOf(layout.kafka.nodes[1])];

  it('makes every node a voter of one quorum, with its own id, ports and log folder', () => {
    const voters = '1@127.0.0.1:9093,2@127.0.0.1:10093,3@127.0.0.1:11093';
    expect(one.get('controller.quorum.voters')).toBe(voters);
    expect(two.get('controller.quorum.voters')).toBe(voters);
    expect([one.get('node.id'), two.get('node.id')]).toEqual(['1', '2']);
    expect(two.get('listeners')).toBe(
      'PLAINTEXT://127.0.0.1:10092,CONTROLLER://127.0.0.1:10093,SASL_SSL://127.0.0.1:10094',
    );
    expect(two.get('log.dirs')).toBe(layout.kafka.nodes[1]?.dataDir);
  });

  it('keeps 3 copies of every topic, its own included, and needs 2 in sync for a write', () => {
    for (const name of [
      'default.replication.factor',
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
    ])
      expect(one.get(name), name).toBe('3');
    for (const name of ['min.insync.replicas', 'transaction.state.log.min.isr'])
      expect(one.get(name), name).toBe('2');
  });
});

describe('the configuration of one node', () => {
  it('keeps one copy and needs one in sync', () => {
    const single = loadStackLayout({ STACK_DIR: '/tmp/stack' });
    const text = serverProperties(single, single.kafka.nodes[0] as KafkaNode, 'password');
    expect(text).toContain('controller.quorum.voters=1@127.0.0.1:9093\n');
    expect(text).toContain('default.replication.factor=1\n');
    expect(text).toContain('min.insync.replicas=1\n');
  });
});
