import { describe, expect, it } from 'vitest';
import { promisedNodeVersions, unsupportedEngines } from './engine-support';

describe('promisedNodeVersions', () => {
  it('takes the lowest of each declared range and the running version', () => {
    expect(promisedNodeVersions('^22.22.0 || >=24.6.0', '24.22.3')).toEqual(['22.22.0', '24.6.0', '24.22.3']);
  });
});

describe('unsupportedEngines', () => {
  const lock = {
    packages: {
      '': { version: '0.0.0' },
      'node_modules/fine': { version: '1.0.0', engines: { node: '>=20' } },
      'node_modules/too-new': { version: '13.0.0', engines: { node: '>=24.12' } },
      'node_modules/dev-only': { version: '1.0.0', dev: true, engines: { node: '>=99' } },
      'node_modules/a/node_modules/nested-old': { version: '2.0.0', engines: { node: '^18 || ^20' } },
      'libs/config': { version: '0.1.0' },
      'node_modules/@wms-webhooks/config': { link: true },
    },
  };

  it('names each production dependency that leaves out a promised version, and which', () => {
    expect(unsupportedEngines(lock, ['22.22.0', '24.6.0', '24.22.3'])).toEqual([
      { name: 'too-new', version: '13.0.0', requires: '>=24.12', unsupported: ['22.22.0', '24.6.0'] },
      {
        name: 'nested-old',
        version: '2.0.0',
        requires: '^18 || ^20',
        unsupported: ['22.22.0', '24.6.0', '24.22.3'],
      },
    ]);
  });
});
