import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisedNodeVersions, unsupportedEngines } from './engine-support';

/**
 * `npm run check:engines`: every production dependency in the lockfile must support each Node.js version
 * the project promises (package.json engines) and the one running. CI runs it after npm ci.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const versions = promisedNodeVersions(project.engines.node, process.versions.node);
const found = unsupportedEngines(lock, versions);
if (found.length === 0) {
  console.log(`Every production dependency supports Node.js ${versions.join(', ')}.`);
} else {
  for (const entry of found) {
    console.error(
      `${entry.name}@${entry.version} requires Node.js ${entry.requires}, which leaves out ${entry.unsupported.join(', ')}`,
    );
  }
  process.exit(1);
}
