import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createDeliveryMetrics } from './delivery-wiring';
import type { AttemptOutcome } from './http-client';
import { sampleTask } from './sample-task.fixture';
import { manualResendOrigin } from './settle-attempt';

const delivered: AttemptOutcome = { outcome: 'succeeded', statusCode: 200, durationMs: 12 };

async function observed(registry: Registry, name: string) {
  const metric = (await registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  return (metric?.values ?? []) as Array<{ labels: object; value: number; metricName?: string }>;
}

describe('delivery metrics', () => {
  describe('when a replay delivers a day-old event', () => {
    it('counts the attempt as a replay and leaves end-to-end latency to live traffic', async () => {
      const registry = new Registry();
      const metrics = createDeliveryMetrics(registry);
      const dayOld = Date.now() - 86_400_000;
      metrics.onAttempt(
        sampleTask('w', 'e1', { occurredAt: dayOld, replayId: 'r1', origin: 'api-replay' }),
        delivered,
      );
      metrics.onAttempt(
        sampleTask('w', 'e2', { occurredAt: dayOld, origin: manualResendOrigin, attempt: 2 }),
        delivered,
      );
      const endToEndCount = (await observed(registry, 'wms_webhooks_delivery_end_to_end_seconds')).find(
        (value) => value.metricName === 'wms_webhooks_delivery_end_to_end_seconds_count',
      );
      expect(endToEndCount?.value).toBe(0);
      expect(await observed(registry, 'wms_webhooks_replay_attempts_total')).toEqual([
        { labels: { outcome: 'succeeded' }, value: 1 },
      ]);

      metrics.onAttempt(sampleTask('w', 'e3', { occurredAt: Date.now() - 50 }), delivered);
      const afterLive = (await observed(registry, 'wms_webhooks_delivery_end_to_end_seconds')).find(
        (value) => value.metricName === 'wms_webhooks_delivery_end_to_end_seconds_count',
      );
      expect(afterLive?.value).toBe(1);
    });
  });
});
