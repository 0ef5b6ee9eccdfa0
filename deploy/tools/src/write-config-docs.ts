import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfigDocs, undescribedVariables } from './config-docs';

/** `npm run docs:config` rewrites docs/configuration.md's tables from the schemas; `-- --check` only compares. */
const file = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'),
  'docs',
  'configuration.md',
);
const undescribed = undescribedVariables();
if (undescribed.length > 0) {
  console.error(`give these variables a .describe() in their schema: ${undescribed.join(', ')}`);
  process.exit(1);
}
const current = readFileSync(file, 'utf8');
const rendered = renderConfigDocs(current);
if (process.argv.includes('--check')) {
  if (rendered !== current) {
    console.error('docs/configuration.md differs from the config schemas: run npm run docs:config');
    process.exit(1);
  }
  console.log('docs/configuration.md: matches the config schemas');
} else {
  writeFileSync(file, rendered);
  console.log(rendered === current ? 'docs/configuration.md: unchanged' : 'docs/configuration.md: rewritten');
}
