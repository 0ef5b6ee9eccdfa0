import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { topicNames } from '@wms-webhooks/contracts';
import { launchService, type RunningService, stopServices, waitUntilReady } from '@wms-webhooks/tools';
import { buildDir, buildServices, services } from '@wms-webhooks/tools/build';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port';
import { Mailbox } from '../support/mailbox';
import { dropTestResources, pipelineEnv } from '../support/pipeline';
import { runAloneEnv } from '../support/run-alone-env';

describe('the services built by npm run build', () => {
  const mailbox = new Mailbox();
  let copied = '';
  let isolation: ReturnType<typeof pipelineEnv>;
  const running: RunningService[] = [];

  beforeAll(async () => {
    await buildServices();
    // Away from the repository, so nothing can be loaded from its node_modules or its TypeScript.
    copied = join(await mkdtemp(join(tmpdir(), 'it-build-')), 'dist');
    await cp(buildDir, copied, { recursive: true });
    await mailbox.start();
    isolation = pipelineEnv({ LOG_LEVEL: 'info' });
  }, 120_000);

  afterAll(async () => {
    await stopServices(running);
    await mailbox.stop();
    await dropTestResources(topicNames(isolation.prefix), isolation.database);
  });

  it.each(services)(
    'starts %s with plain node, outside the repository, and it becomes ready',
    async (name) => {
      const port = await freePort();
      const logs = await mkdtemp(join(tmpdir(), 'it-build-logs-'));
      const service = launchService(
        {
          name,
          readyUrl: `http://127.0.0.1:${port}/readyz`,
          env: {
            PATH: process.env.PATH,
            ...isolation.env,
            ...runAloneEnv(name, port, mailbox.url),
          },
          fromBuild: { dir: copied },
        },
        logs,
      );
      running.push(service);
      await waitUntilReady(service, 60_000);
      expect(service.child.spawnargs.join(' ')).not.toContain('tsx');
      // The image's HEALTHCHECK: healthy while the service answers, whichever port it serves /healthz on.
      const healthcheck = (env: NodeJS.ProcessEnv) =>
        promisify(execFile)(process.execPath, [join(copied, 'healthcheck.mjs')], { env }).then(
          () => 0,
          (error: { code?: number }) => error.code,
        );
      expect(await healthcheck({ API_PORT: String(port), OPS_PORT: String(port) })).toBe(0);
      if (name === 'api') {
        const page = await fetch(`http://127.0.0.1:${port}/`);
        expect(await page.text()).toContain('<div id="root">');
      }
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(await readFile(service.logFile, 'utf8')).toContain('"msg":"stopped"');
      expect(await healthcheck({ API_PORT: String(port), OPS_PORT: String(port) })).toBe(1);
    },
  );
});
