import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderConfigDocs, undescribedVariables } from './config-docs';

const configurationDoc = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'),
  'docs',
  'configuration.md',
);

describe('the configuration reference', () => {
  it('describes every variable of every schema', () => {
    expect(undescribedVariables()).toEqual([]);
  });

  it('is what the schemas generate (npm run docs:generate rewrites it)', () => {
    const document = readFileSync(configurationDoc, 'utf8');
    expect(document).toBe(renderConfigDocs(document));
  });

  it('names a missing section instead of writing nothing', () => {
    expect(() => renderConfigDocs('# no markers')).toThrow(/generated: services \(npm run docs:generate\)/);
  });
});
