import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerfileProblems } from './dockerfile-rules';

/** `npm run lint:dockerfile`, part of `npm run lint`: deploy/Dockerfile must have no problem. */
const file = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'Dockerfile');
const problems = dockerfileProblems(readFileSync(file, 'utf8'));
for (const problem of problems) console.error(`deploy/Dockerfile: ${problem}`);
if (problems.length > 0) process.exit(1);
console.log('deploy/Dockerfile: no problems');
