import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSecretKey } from '@wms-webhooks/secrets';
import { createMetricsRegistry, startOpsServer } from '@wms-webhooks/service-runtime';
import { launchService, stopServices, waitUntilReady } from '@wms-webhooks/tools';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { storeUriWithCredentials } from '../support/credentialed-store';
import { freePort } from '../support/free-port';
import { testEndpoints, testKafka } from '../support/stack';
import { stackEnv } from '../support/stack-env';
import { uniqueName } from '../support/unique';
import { waitFor } from '../support/wait-for';

describe('a service run as its own process', () => {
  const prefix = `${uniqueName('it-proc')}.`;
  const database = uniqueName('it_proc').replaceAll('-', '_');

  const envFor = (port: number): NodeJS.ProcessEnv => {
    const endpoints = testEndpoints();
    return {
      ...process.env,
      ...stackEnv(endpoints, { prefix, database }),
      OPS_PORT: String(port),
      WEBHOOKS_SECRET_KEYS: newSecretKey('proc'),
    };
  };

  afterAll(async () => {
    const admin = testKafka('it-proc-cleanup').admin();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    await admin.deleteTopics(topics).catch(() => undefined);
    await admin.close();
    const client = new MongoClient(testEndpoints().mongodbUri);
    await client
      .db(database)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  });

  describe('when started with a good environment', () => {
    it('answers /healthz, /readyz and /metrics, and on SIGTERM finishes, commits and exits 0', async () => {
      const port = await freePort();
      const logs = await mkdtemp(join(tmpdir(), 'it-proc-'));
      const sender = launchService(
        { name: 'sender', readyUrl: `http://127.0.0.1:${port}/readyz`, env: envFor(port) },
        logs,
      );
      await waitUntilReady(sender, 60_000);

      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as {
        service: string;
        pid: number;
        ready: boolean;
        checks: object;
      };
      expect(ready).toEqual({
        service: 'sender',
        pid: sender.child.pid,
        ready: true,
        checks: { kafka: 'ok', registry: 'ok', definitions: 'ok', store: 'ok' },
      });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('# TYPE wms_webhooks_delivery_attempts_total counter');
      expect(metrics).toContain('wms_webhooks_process_cpu_seconds_total');

      sender.child.kill('SIGTERM');
      expect(await sender.exited).toBe(0);
      const lines = (await readFile(sender.logFile, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { msg: string; step?: string });
      expect(lines.filter((line) => line.msg === 'shutdown step done').map((line) => line.step)).toEqual([
        'stop consuming (finishes the deliveries in flight, logs them, commits)',
        'stop following definitions',
        'write the last log summaries',
        'close connections',
        'close ops server',
      ]);
      expect(lines.at(-1)?.msg).toBe('stopped');
    });
  });

  describe('when its endpoints carry credentials', () => {
    it('connects with them and never logs them', { timeout: 90_000 }, async () => {
      const port = await freePort();
      const logs = await mkdtemp(join(tmpdir(), 'it-proc-'));
      const { mongodbUri, schemaRegistryUrl } = testEndpoints();
      const ingester = launchService(
        {
          name: 'ingester',
          readyUrl: `http://127.0.0.1:${port}/readyz`,
          env: {
            ...envFor(port),
            MONGODB_URI: await storeUriWithCredentials(mongodbUri, 'wms', 'planted-store-password'),
            SCHEMA_REGISTRY_URL: schemaRegistryUrl.replace('://', '://wms:planted-registry-password@'),
            LOG_LEVEL: 'debug',
          },
        },
        logs,
      );
      try {
        const logged = await waitFor(
          async () => {
            const output = await readFile(ingester.logFile, 'utf8');
            return output.includes('"msg":"connected"') ? output : undefined;
          },
          { message: 'the ingester logged its endpoints' },
        );
        expect(logged).not.toContain('planted-store-password');
        expect(logged).not.toContain('planted-registry-password');
        await waitUntilReady(ingester, 60_000);
      } finally {
        ingester.child.kill('SIGTERM');
        await ingester.exited;
      }
      const output = await readFile(ingester.logFile, 'utf8');
      expect(output).not.toContain('planted-store-password');
      expect(output).not.toContain('planted-registry-password');
      expect(output).toContain('wms:***@');
    });
  });

  describe('when a variable is malformed', () => {
    it('exits 1 at once, naming the variable', async () => {
      const port = await freePort();
      const logs = await mkdtemp(join(tmpdir(), 'it-proc-'));
      const ingester = launchService(
        {
          name: 'ingester',
          readyUrl: `http://127.0.0.1:${port}/readyz`,
          env: { ...envFor(port), KAFKA_BROKERS: 'no-port-here', INGEST_MAX_PAYLOAD_BYTES: '-5' },
        },
        logs,
      );
      expect(await ingester.exited).toBe(1);
      const output = await readFile(ingester.logFile, 'utf8');
      expect(output).toContain('KAFKA_BROKERS: must be a comma-separated list of host:port');
    });
  });

  describe('when an endpoint variable is missing', () => {
    it('exits 1 at once, naming each, instead of falling back to the local stack', async () => {
      const port = await freePort();
      const logs = await mkdtemp(join(tmpdir(), 'it-proc-'));
      const { KAFKA_BROKERS: _kafka, MONGODB_URI: _mongo, ...env } = envFor(port);
      const ingester = launchService(
        { name: 'ingester', readyUrl: `http://127.0.0.1:${port}/readyz`, env },
        logs,
      );
      const exited = await Promise.race([
        ingester.exited,
        waitUntilReady(ingester, 60_000).then(() => 'ready' as const),
      ]);
      if (exited === 'ready') await stopServices([ingester]);
      expect(exited).toBe(1);
      const output = await readFile(ingester.logFile, 'utf8');
      expect(output).toContain('KAFKA_BROKERS: is required');
      expect(output).toContain('MONGODB_URI: is required');
    });
  });

  describe('when a service does not stop within its grace period', () => {
    it('is killed, and the supervisor reports it', async () => {
      const port = await freePort();
      const logs = await mkdtemp(join(tmpdir(), 'it-proc-'));
      const ingester = launchService(
        {
          name: 'ingester',
          readyUrl: `http://127.0.0.1:${port}/readyz`,
          env: envFor(port),
          stopGraceMs: 2_000,
        },
        logs,
      );
      await waitUntilReady(ingester, 60_000);
      // A stopped process handles no SIGTERM, as a service whose event loop is blocked handles none.
      ingester.child.kill('SIGSTOP');
      const killed = await stopServices([ingester]);
      expect(killed).toEqual([ingester]);
      expect(ingester.child.signalCode).toBe('SIGKILL');
    });
  });

  describe('when another process already answers on its port', () => {
    it('is not taken for ready: the supervisor names the process that answered', async () => {
      const metrics = createMetricsRegistry('decoy');
      const decoy = await startOpsServer({
        service: 'decoy',
        host: '127.0.0.1',
        port: 0,
        metrics,
        readiness: {},
      });
      const port = Number(new URL(decoy.url).port);
      const logs = await mkdtemp(join(tmpdir(), 'it-proc-'));
      const ingester = launchService(
        { name: 'ingester', readyUrl: `${decoy.url}/readyz`, env: envFor(port) },
        logs,
      );
      try {
        await expect(waitUntilReady(ingester, 60_000)).rejects.toThrow(
          `${decoy.url}/readyz is answered by decoy (pid ${process.pid}), not by ingester (pid ${ingester.child.pid})`,
        );
      } finally {
        await stopServices([ingester]);
        await decoy.close();
      }
    });
  });

  describe('when its supervisor is killed with SIGKILL', () => {
    it('dies with it, freeing its port', async () => {
      const port = await freePort();
      const logs = await mkdtemp(join(tmpdir(), 'it-proc-'));
      const supervisor = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/support/supervise.ts', 'ingester', `http://127.0.0.1:${port}/readyz`, logs],
        // A group of its own: the killed ingester of the test before would hold the group's join for its session.
        {
          env: { ...envFor(port), INGESTER_GROUP_ID: uniqueName('it-proc-supervised') },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const [line] = (await once(supervisor.stdout, 'data')) as [Buffer];
      const { pid } = JSON.parse(line.toString()) as { pid: number };
      supervisor.kill('SIGKILL');
      const alive = () => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      try {
        await waitFor(() => !alive() || undefined, { message: `service ${pid} gone after its supervisor` });
      } finally {
        if (alive()) process.kill(pid, 'SIGKILL');
      }
    });
  });
});
