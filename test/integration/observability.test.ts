import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startIngester } from '@wms-webhooks/ingester';
import { loadStackLayout } from '@wms-webhooks/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody, wmsEvent } from '../support/events';
import { freePorts } from '../support/free-port';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { startPrometheus } from '../support/prometheus';
import { Receiver } from '../support/receiver';
import { testEndpoints } from '../support/stack';
import { waitFor } from '../support/wait-for';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('metrics as a real Prometheus sees them', () => {
  let pipeline: Pipeline;
  let prometheus: Awaited<ReturnType<typeof startPrometheus>>;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    pipeline = await startPipeline();
    prometheus = await startPrometheus(pipeline.opsUrls);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await pipeline?.stop();
    await receiver.stop();
  });

  it('scrapes every service, and counters and histograms move with successes and failures', async () => {
    receiver.respondWith('/broken', 500);
    for (const [path, owner, retryPolicy] of [
      ['/fine', 601, 'one-day'],
      ['/broken', 602, 'none'],
    ] as const) {
      const response = await pipeline.api('/api/webhooks', {
        method: 'POST',
        body: webhookBody({ goodsOwnerIds: [owner], url: receiver.url(path), retryPolicy }),
      });
      expect(response.status).toBe(201);
    }
    await pipeline.publish([
      ...Array.from({ length: 5 }, () => wmsEvent({ goodsOwnerId: 601 })),
      ...Array.from({ length: 3 }, () => wmsEvent({ goodsOwnerId: 602 })),
    ]);
    await waitFor(() => receiver.at('/fine').length === 5 && receiver.at('/broken').length === 3, {
      message: 'the deliveries',
    });

    const atLeast = async (query: string, minimum: number) =>
      waitFor(
        async () => {
          const value = await prometheus.value(query);
          return value !== undefined && value >= minimum && value;
        },
        { timeoutMs: 20_000, intervalMs: 500, message: `${query} >= ${minimum}` },
      );

    for (const job of Object.keys(pipeline.opsUrls)) {
      expect(await atLeast(`up{job="wms-webhooks-${job}"}`, 1)).toBe(1);
    }
    expect(await atLeast('sum(wms_webhooks_ingest_events_consumed_total)', 8)).toBe(8);
    expect(await atLeast('sum(wms_webhooks_ingest_events_ingested_total)', 8)).toBe(8);
    expect(await atLeast('sum(wms_webhooks_match_deliveries_emitted_total)', 8)).toBe(8);
    expect(await atLeast('sum(wms_webhooks_match_webhooks_per_event_count)', 8)).toBe(8);
    expect(
      await atLeast('sum(wms_webhooks_delivery_attempts_total{outcome="succeeded", status_class="2xx"})', 5),
    ).toBe(5);
    expect(
      await atLeast('sum(wms_webhooks_delivery_attempts_total{outcome="failed", status_class="5xx"})', 3),
    ).toBe(3);
    expect(await atLeast('sum(wms_webhooks_delivery_http_duration_seconds_count)', 8)).toBe(8);
    expect(await atLeast('sum(wms_webhooks_delivery_end_to_end_seconds_count)', 5)).toBe(5);
    expect(await atLeast('sum(wms_webhooks_dead_letters_total)', 3)).toBe(3);
    expect(
      await atLeast(
        'sum(wms_webhooks_store_write_duration_seconds_count{operation="insert_attempt_logs"})',
        1,
      ),
    ).toBeGreaterThanOrEqual(1);
    // Lag series exist for every consumer group, and drain to zero once everything is handled.
    await waitFor(
      async () =>
        (await prometheus.value('count(wms_webhooks:consumer_lag_messages:sum)')) === 3 &&
        (await prometheus.value('sum(wms_webhooks_consumer_lag_messages)')) === 0,
      { timeoutMs: 20_000, intervalMs: 500, message: 'three drained consumer groups' },
    );
    // A recording rule from deploy/prometheus, on live series. A labelled counter first appears already
    // incremented, which rate() does not count, so a second wave moves the now-known series.
    await pipeline.publish([
      ...Array.from({ length: 5 }, () => wmsEvent({ goodsOwnerId: 601 })),
      ...Array.from({ length: 3 }, () => wmsEvent({ goodsOwnerId: 602 })),
    ]);
    const failureRatio = await atLeast('wms_webhooks:delivery_failure_ratio:rate5m', 0.1);
    expect(failureRatio).toBeGreaterThan(0.1);
    expect(failureRatio).toBeLessThan(0.9);

    // Every panel of the Grafana dashboard is valid PromQL over series that exist.
    const dashboard = JSON.parse(
      readFileSync(join(repoRoot, 'deploy', 'grafana', 'wms-webhooks.json'), 'utf8'),
    ) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const unanswered: string[] = [];
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const response = await fetch(
          `${prometheus.url}/api/v1/query?query=${encodeURIComponent(target.expr)}`,
        );
        const body = (await response.json()) as { status: string; data?: { result: unknown[] } };
        if (body.status !== 'success') unanswered.push(`${panel.title}: ${target.expr} (${body.status})`);
        // Panels for what this test does not cause (invalid records, store failures, circuit changes,
        // retry tiers) may be empty, but must still parse.
        else if (body.data?.result.length === 0 && !/invalid|failures|circuit|retry/.test(target.expr)) {
          unanswered.push(`${panel.title}: ${target.expr} (no series)`);
        }
      }
    }
    expect(unanswered).toEqual([]);
  }, 90_000);
});

describe('/readyz when the store goes away', () => {
  it('turns unready while the store is stopped, and ready again when it is back', async () => {
    const layout = loadStackLayout();
    const [port, debugPort] = (await freePorts(2)) as [number, number];
    const data = await mkdtemp(join(tmpdir(), 'it-store-'));
    const startStore = (): ChildProcess =>
      spawn(
        layout.ferretdb.binary,
        [
          '--handler=sqlite',
          `--sqlite-url=file:${data}/`,
          `--state-dir=${data}`,
          `--listen-addr=127.0.0.1:${port}`,
          `--debug-addr=127.0.0.1:${debugPort}`,
          '--telemetry=disable',
          '--log-level=error',
        ],
        { stdio: 'ignore' },
      );
    let store = startStore();
    const endpoints = testEndpoints();
    const ingester = await startIngester({
      ...process.env,
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      MONGODB_URI: `mongodb://127.0.0.1:${port}/?serverSelectionTimeoutMS=1000`,
      WEBHOOKS_TOPIC_PREFIX: `it-readyz-${port}.`,
      OPS_PORT: '0',
      LOG_LEVEL: 'fatal',
    });
    const readyz = async () => {
      const response = await fetch(`${ingester.ops.url}/readyz`);
      return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
    };
    try {
      await waitFor(async () => (await readyz()).status === 200 || undefined, {
        message: 'ready with the store up',
      });

      store.kill('SIGKILL');
      const down = await waitFor(
        async () => {
          const report = await readyz();
          return report.status === 503 && report;
        },
        { message: 'unready with the store stopped' },
      );
      expect(down.body.checks.store).not.toBe('ok');
      expect(down.body.checks.kafka).toBe('ok');

      store = startStore();
      await waitFor(async () => (await readyz()).status === 200 || undefined, {
        timeoutMs: 30_000,
        message: 'ready again',
      });
    } finally {
      for (const step of ingester.shutdownSteps) await step.run().catch(() => undefined);
      store.kill('SIGKILL');
    }
  }, 90_000);
});
