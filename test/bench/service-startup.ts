import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topicNames } from '@wms-webhooks/contracts';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { createKafkaClient, kafkaSecurityFromEnv } from '@wms-webhooks/kafka';
import { newSecretKey } from '@wms-webhooks/secrets';
import { launchService, stopServices } from '@wms-webhooks/tools';
import { buildServices, services } from '@wms-webhooks/tools/build';
import { MongoClient } from 'mongodb';
import { freePort } from '../support/free-port';
import { Mailbox } from '../support/mailbox';
import { runAloneEnv } from '../support/run-alone-env';
import { stackEnv } from '../support/stack-env';
import { percentile } from './stats';

/**
 * `npm run bench:startup [runs]`: each service started from its TypeScript through tsx, and from
 * `npm run build` with plain node, `runs` times each (default 5): the time from spawn to a ready /readyz,
 * and the resident memory once ready. Needs the local stack up (npm run stack:up).
 */
const runs = Number(process.argv[2] ?? 5);

const rssMb = (pid: number) => {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
};

async function readyAfter(url: string, started: number): Promise<number> {
  for (;;) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 60_000) throw new Error(`${url} not ready within 60 s`);
    await new Promise((tick) => setTimeout(tick, 20));
  }
}

await buildServices();
const mailbox = await new Mailbox().start();
const endpoints = await resolveEndpoints({ start: true, log: (line) => console.error(line) });
const prefix = `bench-startup-${Date.now()}.`;
const database = prefix.replaceAll(/[.-]/g, '_');
const isolationEnv = {
  ...stackEnv(endpoints, { prefix, database }),
  LOG_LEVEL: 'warn',
  WEBHOOKS_SECRET_KEYS: newSecretKey('bench'),
};
const logs = await mkdtemp(join(tmpdir(), 'bench-startup-'));
const rows: string[] = [];
for (const name of services) {
  const figures: Record<string, { ms: number[]; rss: number[] }> = {
    source: { ms: [], rss: [] },
    build: { ms: [], rss: [] },
  };
  for (let run = 0; run < runs; run++) {
    for (const mode of ['source', 'build'] as const) {
      const port = await freePort();
      const readyUrl = `http://127.0.0.1:${port}/readyz`;
      const started = performance.now();
      const service = launchService(
        {
          name,
          label: `${name}-${mode}-${run}`,
          readyUrl,
          env: {
            ...process.env,
            ...isolationEnv,
            ...runAloneEnv(name, port, mailbox.url),
          },
          ...(mode === 'build' ? { fromBuild: {} } : {}),
        },
        logs,
      );
      figures[mode]?.ms.push(await readyAfter(readyUrl, started));
      figures[mode]?.rss.push(rssMb(service.child.pid as number));
      await stopServices([service]);
    }
  }
  const median = (values: number[]) => percentile(values, 50) ?? Number.NaN;
  const { source, build } = figures as Record<'source' | 'build', { ms: number[]; rss: number[] }>;
  rows.push(
    `| ${name} | ${Math.round(median(source.ms))} | ${Math.round(median(build.ms))} | ${Math.round(median(source.rss))} | ${Math.round(median(build.rss))} |`,
  );
}
await mailbox.stop();
const admin = createKafkaClient({
  clientId: 'bench-startup',
  brokers: endpoints.kafkaBrokers,
  security: kafkaSecurityFromEnv(),
}).admin();
await admin.deleteTopics(Object.values(topicNames(prefix))).catch(() => undefined);
await admin.close();
const mongo = await MongoClient.connect(endpoints.mongodbUri);
await mongo.db(database).dropDatabase();
await mongo.close();
console.log(`medians of ${runs} starts each\n`);
console.log(
  '| service | ready, source (ms) | ready, build (ms) | RSS once ready, source (MB) | RSS, build (MB) |',
);
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
