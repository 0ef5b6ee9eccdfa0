import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { newApiKey } from '@wms-webhooks/access';
import {
  catalogueSchema,
  type DeliveryTask,
  topicCatalogue,
  topicNames,
  type WmsEvent,
} from '@wms-webhooks/contracts';
import { AttemptLogRepository, retentionMsOf } from '@wms-webhooks/delivery';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import {
  AvroSerde,
  AvroTopicProducer,
  createDurableProducer,
  createKafkaClient,
  createSchemaRegistry,
  kafkaSecurityFromEnv,
} from '@wms-webhooks/kafka';
import { loadStackLayout } from '@wms-webhooks/local-stack';
import { newSecretKey } from '@wms-webhooks/secrets';
import type { Webhook } from '@wms-webhooks/webhooks';
import { type Document, type Filter, MongoClient } from 'mongodb';
import { BenchReceiver, failsFirstAttempt } from './bench-receiver';
import { printReport } from './bench-report';
import { launchBenchServices, scrapeGauge } from './bench-services';
import { expectedDeliveryIds, webhookBodies } from './bench-webhooks';
import { buildChart, renderPng } from './chart';
import { hopTimes, readTrails } from './hop-times';
import { LagSampler } from './lag-sampler';
import { balanceLedger } from './ledger';
import { produceLoad } from './load-generator';
import { LoopMonitor } from './loop-monitor';
import { type BenchSettings, BenchUsageError, parseBenchArgs } from './presets';
import { ProcessSampler } from './process-sampler';
import {
  askedRates,
  bestWindowRate,
  cpuMsPerDelivery,
  percentile,
  perSecond,
  slope,
  sustainedRate,
  wholeRunRate,
} from './stats';
import { readDeadLetters, waitUntil } from './topic-reader';

const repoRoot = join(import.meta.dirname, '..', '..');

async function main() {
  const settings = parseBenchArgs(process.argv.slice(2));
  const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${settings.preset}`;
  const resultsDir = join(repoRoot, 'test', 'bench', 'results', runId);
  mkdirSync(resultsDir, { recursive: true });
  console.log(`bench ${settings.preset}: ${JSON.stringify(settings)}`);

  const endpoints = await resolveEndpoints({ start: true, log: (line) => console.log(line) });
  const prefix = `bench-${Date.now()}.`;
  const database = `bench_${Date.now()}`;
  const topics = topicNames(prefix);
  const adminKey = newApiKey();
  const env: NodeJS.ProcessEnv = {
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
    MONGODB_URI: endpoints.mongodbUri,
    WEBHOOKS_TOPIC_PREFIX: prefix,
    MONGODB_DATABASE: database,
    LOG_LEVEL: 'warn',
    WEBHOOKS_ALLOWED_TARGETS: '127.0.0.0/8',
    WEBHOOKS_ADMIN_KEY: adminKey,
    WEBHOOKS_SECRET_KEYS: newSecretKey('bench'),
    WEBHOOKS_TIME_SCALE: String(settings.timeScale),
  };

  const scheduledAt = new Map<string, number>();
  const receiver = new BenchReceiver(settings.failShare, scheduledAt, settings.receiverDelayMs);
  const receiverUrl = await receiver.start();
  const services = await launchBenchServices(
    env,
    settings,
    join(resultsDir, 'logs'),
    settings.profile ? join(resultsDir, 'profiles') : undefined,
  );
  const kafka = createKafkaClient({
    clientId: 'wms-bench',
    brokers: endpoints.kafkaBrokers,
    security: kafkaSecurityFromEnv(),
  });
  const admin = kafka.admin();
  const producer = createDurableProducer(kafka);
  const mongo = new MongoClient(endpoints.mongodbUri);
  try {
    await mongo.connect();
    const serde = new AvroSerde(createSchemaRegistry(endpoints.schemaRegistryUrl));
    await serde.register(topics.wmsEvents, catalogueSchema(topicCatalogue(prefix).wmsEvents));
    const wms = new AvroTopicProducer<WmsEvent>(producer, serde, topics.wmsEvents);

    const webhooks: Webhook[] = [];
    for (const body of webhookBodies(settings, receiverUrl)) {
      const response = await fetch(`${services.apiUrl}/api/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`creating a webhook failed: ${await response.text()}`);
      webhooks.push((await response.json()) as Webhook);
    }
    const caches = [...services.opsUrls].filter(([label]) => /^(matcher|sender)-/.test(label));
    await waitUntil(
      async () => {
        const sizes = await Promise.all(
          caches.map(([, url]) => scrapeGauge(url, 'wms_webhooks_definitions_cached')),
        );
        return sizes.every((size) => size >= webhooks.length);
      },
      60_000,
      'every matcher and sender to hold the webhooks',
    );

    const groups = [
      { group: `${prefix}wms-webhooks-ingester`, topic: topics.wmsEvents },
      { group: `${prefix}wms-webhooks-matcher`, topic: topics.acceptedEvents },
      { group: `${prefix}wms-webhooks-sender`, topic: topics.deliveries },
      { group: `${prefix}wms-webhooks-retrier-1m`, topic: topics.retry1m },
    ];
    const lag = new LagSampler(admin, groups);
    const processes = new ProcessSampler(
      new Map([...services.pids, ...stackPids(), ['bench (generator + receiver)', process.pid]]),
    );
    const benchLoop = new LoopMonitor();
    processes.start();
    lag.start();
    benchLoop.start();

    const expected = new Set<string>();
    const warmup = await warmUp(settings, wms, webhooks, expected, receiver);
    benchLoop.measureFrom(Date.now());
    const measured: string[] = [];
    const load = await produceLoad(wms, settings, (event) => {
      for (const id of expectedDeliveryIds(webhooks, event)) {
        expected.add(id);
        measured.push(id);
        scheduledAt.set(id, event.occurredAt);
      }
    });
    console.log(
      `produced ${settings.events} events in ${((load.finishedAt - load.startedAt) / 1000).toFixed(1)} s; ${expected.size} deliveries expected, warm-up included`,
    );

    await waitForArrivals(receiver, expected, settings.drainSeconds, 'every delivery to reach the receiver');
    const drainedAt = Date.now();
    const log = new AttemptLogRepository(mongo.db(database), { retentionMs: retentionMsOf(30) });
    // A pack of successes lists the delivery of each attempt it holds; any other document is one attempt.
    const countAttempts = async (filter: Filter<Document> = {}) => {
      let count = 0;
      for (const bucket of await log.liveCollections()) {
        for await (const document of bucket.find(filter, { projection: { deliveryIds: 1 } })) {
          count += 'deliveryIds' in document ? document.deliveryIds.length : 1;
        }
      }
      return count;
    };
    await waitUntil(
      async () => (await countAttempts()) >= receiver.requests,
      // Counting is a full scan on FerretDB: on a run of 170k attempts one count takes seconds.
      120_000,
      'every attempt to be logged',
    ).catch(async (error: Error) =>
      console.warn(
        `${error.message}: ${await countAttempts()} attempts logged, ${receiver.requests} requests received, ` +
          `${await countAttempts({ outcome: 'succeeded' })} logged as succeeded, ${receiver.delivered.size} answered 2xx`,
      ),
    );
    processes.stop();
    lag.stop();
    benchLoop.stop();
    // Each service's own view (HTTP and store latency histograms, batch sizes) for finding where time goes.
    mkdirSync(join(resultsDir, 'metrics'), { recursive: true });
    for (const [label, url] of services.opsUrls) {
      const text = await (await fetch(`${url}/metrics`)).text().catch(() => '');
      writeFileSync(join(resultsDir, 'metrics', `${label}.prom`), text);
    }

    const deadLettered = new Set(
      (await readDeadLetters<DeliveryTask>(kafka, serde, topics.dead)).map((task) => task.deliveryId),
    );
    const retrying = new Set<string>();
    for (const bucket of await log.liveCollections()) {
      for (const attempt of await bucket
        .find({ final: false }, { projection: { deliveryId: 1 } })
        .toArray()) {
        // Only attempts of their own match: a pack holds successes, which are final.
        if ('deliveryId' in attempt && attempt.deliveryId) retrying.add(attempt.deliveryId);
      }
    }
    for (const id of receiver.delivered) retrying.delete(id);
    for (const id of deadLettered) retrying.delete(id);
    const ledger = balanceLedger({
      expected,
      delivered: receiver.delivered,
      deadLettered,
      retrying,
      duplicateRequests: receiver.duplicateRequests,
    });

    // Read while the run's topics still exist: they are deleted once it ends.
    const hops = hopTimes(await readTrails(kafka, serde, topics, receiver.arrivals));
    const series = perSecond(receiver.arrivals, load.startedAt, Math.max(drainedAt, load.finishedAt));
    const latencies = receiver.arrivals.map((arrival) => arrival.latencyMs);
    const sampled = processes.summary(load.startedAt, drainedAt);
    const inWindow = (arrival: { at: number }) => arrival.at >= load.startedAt && arrival.at <= drainedAt;
    const requestsInWindow =
      receiver.arrivals.filter(inWindow).length + receiver.retriedArrivals.filter(inWindow).length;
    const processSummary = sampled.map((entry) => ({
      name: entry.name,
      cpuPercent: entry.cpuPercent,
      peakRssMb: entry.peakRssMb,
      rssGrowthMbPerMinute: Number((slope(entry.rssMb) * 60).toFixed(2)),
      // One sample per 10 s: enough to tell a garbage-collection sawtooth from growth by eye.
      rssSecondHalfMb: entry.rssMb
        .filter((_, index) => index % 10 === 0)
        .map((sample) => [Math.round(sample.x), Math.round(sample.y)]),
    }));
    const best60s = bestWindowRate(series, 60);
    const producingSeconds = (load.finishedAt - load.startedAt) / 1000;
    const results = {
      runId,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      settings,
      expectedPerEvent: Number((expected.size / (settings.events + warmup.events)).toFixed(2)),
      warmup,
      ledger,
      valid: ledger.balanced,
      producing: {
        seconds: producingSeconds,
        eventsPerSecond: Math.round(settings.events / producingSeconds),
      },
      asked: askedRates(measured, producingSeconds, (id) => failsFirstAttempt(id, settings.failShare)),
      benchEventLoop: benchLoop.summary(),
      throughput: {
        sustainedDeliveriesPerSecond: Math.round(sustainedRate(series)),
        peakDeliveriesPerSecond: Math.max(...series.map((bucket) => bucket.deliveries)),
        wholeRunDeliveriesPerSecond: Math.round(wholeRunRate(series)),
        best60sDeliveriesPerSecond: best60s === undefined ? null : Math.round(best60s),
      },
      latencyMs: {
        firstAttempt: {
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          max: percentile(latencies, 100),
          count: latencies.length,
        },
        byHop: hops,
        afterRetry: {
          p50: percentile(
            receiver.retriedArrivals.map((arrival) => arrival.latencyMs),
            50,
          ),
          count: receiver.retriedArrivals.length,
        },
      },
      processes: processSummary,
      cpu: {
        msPerDelivery: cpuMsPerDelivery(sampled, requestsInWindow) ?? null,
        seconds: Number(sampled.reduce((sum, entry) => sum + entry.cpuSeconds, 0).toFixed(1)),
        deliveries: requestsInWindow,
      },
      series,
      // The warm-up's samples come before the measured load; the chart's time axis starts with it.
      lag: lag.samples
        .filter((sample) => sample.at >= load.startedAt)
        .map((sample) => ({
          second: Math.floor((sample.at - load.startedAt) / 1000),
          byGroup: sample.byGroup,
        })),
    };
    writeFileSync(join(resultsDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    const svg = buildChart({
      title: `${settings.preset}: ${settings.events} events at ${settings.rate || 'max'}/s, ${settings.webhooks} webhooks, ${settings.senders} sender(s), ${settings.matchers} matcher(s)`,
      series,
      lag: results.lag,
    });
    writeFileSync(join(resultsDir, 'chart.svg'), svg);
    const pngProblem = await renderPng(svg, join(resultsDir, 'chart.png'));
    printReport(results, resultsDir, pngProblem);
    process.exitCode = ledger.balanced ? 0 : 2;
  } finally {
    await producer.close().catch(() => undefined);
    await services.stop();
    await receiver.stop();
    if (!settings.keep) {
      await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
      await mongo
        .db(database)
        .dropDatabase()
        .catch(() => undefined);
    }
    await admin.close().catch(() => undefined);
    await mongo.close();
  }
}

/**
 * Load at the run's rate for `warmupSeconds`, waited on until it is delivered. Its deliveries join the
 * ledger but not the figures: the receiver times only ids with a scheduled time, and these have none.
 */
async function warmUp(
  settings: BenchSettings,
  wms: AvroTopicProducer<WmsEvent>,
  webhooks: readonly Webhook[],
  expected: Set<string>,
  receiver: BenchReceiver,
): Promise<{ events: number; rate: number; drainedInSeconds: number }> {
  const rate = settings.rate > 0 ? settings.rate : 500;
  const events = Math.round(settings.warmupSeconds * rate);
  if (events === 0) return { events: 0, rate, drainedInSeconds: 0 };
  const ids = new Set<string>();
  const load = await produceLoad(wms, { events, rate, goodsOwners: settings.goodsOwners }, (event) => {
    for (const id of expectedDeliveryIds(webhooks, event)) ids.add(id);
  });
  for (const id of ids) expected.add(id);
  await waitForArrivals(receiver, ids, settings.drainSeconds, 'the warm-up deliveries to arrive');
  const drainedInSeconds = Number(((Date.now() - load.finishedAt) / 1000).toFixed(1));
  console.log(
    `warm-up: ${events} events at ${rate}/s, delivered ${drainedInSeconds} s after the last; measuring`,
  );
  return { events, rate, drainedInSeconds };
}

async function waitForArrivals(
  receiver: BenchReceiver,
  ids: ReadonlySet<string>,
  seconds: number,
  what: string,
): Promise<void> {
  // Counted as they arrive: scanning every expected id on each poll held the receiver's event loop for
  // tens of milliseconds at a time once a run expected hundreds of thousands, and slowed the drain.
  let counted = 0;
  let seen = 0;
  const seenNow = () => {
    for (; counted < receiver.firstSeen.length; counted++) {
      if (ids.has(receiver.firstSeen[counted] as string)) seen += 1;
    }
    return seen;
  };
  await waitUntil(async () => seenNow() === ids.size, seconds * 1000, what).catch((error: Error) =>
    console.warn(`${error.message} (${seenNow()} of ${ids.size}); the ledger says where the rest are`),
  );
}

/** The native stack's processes, when it runs here, so the broker, registry and store show in the table. */
function stackPids(): Array<[string, number]> {
  try {
    const { pidsDir } = loadStackLayout();
    return readdirSync(pidsDir)
      .filter((file) => file.endsWith('.pid.json'))
      .map((file) => [
        file.replace('.pid.json', ''),
        (JSON.parse(readFileSync(join(pidsDir, file), 'utf8')) as { pid: number }).pid,
      ]);
  } catch {
    return [];
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchUsageError ? `bench: ${error.message}` : error);
  process.exit(1);
});
