import { loadStackLayout } from '@wms-webhooks/local-stack';
import { describe, expect, it } from 'vitest';
import { withStackReplication } from './stack-replication';

describe('the replication npm start gives the services', () => {
  it('is 3 copies with 2 in sync on the three-node native stack', () => {
    const env = withStackReplication('native', loadStackLayout({ STACK_KAFKA_NODES: '3' }), {});
    expect(env).toMatchObject({ KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' });
  });

  it('is 1 and 1 on one node', () => {
    const env = withStackReplication('native', loadStackLayout({}), {});
    expect(env).toMatchObject({ KAFKA_REPLICATION_FACTOR: '1', KAFKA_MIN_INSYNC_REPLICAS: '1' });
  });

  it('leaves what was set by hand, and a cluster named by KAFKA_BROKERS, alone', () => {
    const layout = loadStackLayout({ STACK_KAFKA_NODES: '3' });
    expect(withStackReplication('native', layout, { KAFKA_MIN_INSYNC_REPLICAS: '3' })).toMatchObject({
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '3',
    });
    expect(withStackReplication('env', layout, {})).toEqual({});
  });
});
