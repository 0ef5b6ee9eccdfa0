import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dockerfileProblems } from './dockerfile-rules';

const projectDockerfile = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'Dockerfile'),
  'utf8',
);

describe('dockerfileProblems', () => {
  it('finds none in deploy/Dockerfile', () => {
    expect(dockerfileProblems(projectDockerfile)).toEqual([]);
  });

  it('names each problem of a careless Dockerfile', () => {
    const careless = [
      'FROM node:latest',
      'ADD https://example.com/app.tgz /app',
      'RUN apt-get update && apt-get install -y curl',
      'RUN npm install',
      'CMD ["node", "services/api/src/main.ts"]',
    ].join('\n');
    expect(dockerfileProblems(careless)).toEqual([
      'line 1: FROM node:latest must name a pinned tag or digest, not latest',
      'the image must run as a user other than root (USER)',
      'the image needs a HEALTHCHECK',
      'the image needs STOPSIGNAL SIGTERM, the signal the services finish their work on',
      'line 2: use COPY; ADD fetches URLs and unpacks archives',
      'line 3: apt-get install needs --no-install-recommends',
      'the build stage must run npm ci and npm run build, as CI does',
      'the ENTRYPOINT must start dist/start.mjs, as the production-build test does',
    ]);
  });

  it('reports what the syntax validator finds, by line', () => {
    expect(dockerfileProblems(`${projectDockerfile}\nEXPOSE not-a-port\n`).join('\n')).toMatch(
      /line \d+: .*port/i,
    );
  });
});
