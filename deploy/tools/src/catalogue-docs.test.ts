import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderCatalogueDocs } from './catalogue-docs';

const catalogueDoc = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'),
  'docs',
  'event-catalogue.md',
);

describe('the event catalogue reference', () => {
  it('is what the catalogue generates (npm run docs:generate rewrites it)', () => {
    const document = readFileSync(catalogueDoc, 'utf8');
    expect(document).toBe(renderCatalogueDocs(document));
    expect(document).toContain('| `article_item.status_changed` |');
  });
});
