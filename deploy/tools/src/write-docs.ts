import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCatalogueDocs } from './catalogue-docs';
import { renderConfigDocs, undescribedVariables } from './config-docs';

/**
 * `npm run docs:generate` rewrites the generated sections of docs/configuration.md (from the config
 * schemas) and docs/event-catalogue.md (from the event catalogue); `-- --check` only compares.
 */
const docs = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'), 'docs');
const generated = [
  { file: 'configuration.md', source: 'the config schemas', render: renderConfigDocs },
  { file: 'event-catalogue.md', source: 'the event catalogue', render: renderCatalogueDocs },
];

const undescribed = undescribedVariables();
if (undescribed.length > 0) {
  console.error(`give these variables a .describe() in their schema: ${undescribed.join(', ')}`);
  process.exit(1);
}
let stale = false;
for (const { file, source, render } of generated) {
  const path = join(docs, file);
  const current = readFileSync(path, 'utf8');
  const rendered = render(current);
  if (process.argv.includes('--check')) {
    if (rendered !== current) {
      console.error(`docs/${file} differs from ${source}: run npm run docs:generate`);
      stale = true;
    } else console.log(`docs/${file}: matches ${source}`);
  } else {
    writeFileSync(path, rendered);
    console.log(`docs/${file}: ${rendered === current ? 'unchanged' : 'rewritten'}`);
  }
}
if (stale) process.exit(1);
