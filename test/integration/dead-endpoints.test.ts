import { partitionFor } from '@wms-webhooks/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody, wmsEvent } from '../support/events';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait-for';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

describe('dead and slow endpoints', () => {
  let pipeline: Pipeline;
  const receiver = new Receiver();

  const create = async (overrides: Record<string, unknown>) => {
    const response = await pipeline.api('/api/webhooks', {
      method: 'POST',
      body: webhookBody({ retryPolicy: 'one-day', ...overrides }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string };
  };
  const transitions = async () => {
    const text = await (await fetch(`${pipeline.senderOpsUrl}/metrics`)).text();
    const count = (to: string) =>
      Number(
        new RegExp(`wms_webhooks_circuit_transitions_total\\{to="${to}"[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0,
      );
    return { open: count('open'), closed: count('closed') };
  };

  beforeAll(async () => {
    await receiver.start();
    pipeline = await startPipeline({ BREAKER_FAILURE_THRESHOLD: '2', BREAKER_OPEN_MS: '1500' });
  });

  afterAll(async () => {
    await pipeline?.stop();
    await receiver.stop();
  });

  describe('when an endpoint keeps failing', () => {
    it('opens the circuit, sends new deliveries to the retry path unsent, and closes after a good probe', async () => {
      receiver.respondWith('/flapping', 503);
      const webhook = await create({ goodsOwnerIds: [401], url: receiver.url('/flapping') });
      const events = Array.from({ length: 4 }, () => wmsEvent({ goodsOwnerId: 401, entityId: 'ORD-flap' }));
      await pipeline.publish(events);

      const logs = await waitFor(
        async () => {
          const page = (await (await pipeline.api(`/api/webhooks/${webhook.id}/logs?limit=50`)).json()) as {
            items: Array<{ eventId: string; errorKind: string | null; attempt: number }>;
          };
          const firsts = page.items.filter((item) => item.attempt === 1);
          return firsts.length === 4 && firsts.reverse();
        },
        { message: 'four first attempts logged' },
      );
      expect(logs.map((log) => log.errorKind)).toEqual(['status', 'status', 'circuit-open', 'circuit-open']);
      expect(receiver.at('/flapping')).toHaveLength(2);
      expect((await transitions()).open).toBeGreaterThanOrEqual(1);

      receiver.respondWith('/flapping', 200);
      const probe = wmsEvent({ goodsOwnerId: 401, entityId: 'ORD-flap' });
      await waitFor(
        async () => {
          if ((await transitions()).closed >= 1) return true;
          await pipeline.publish([{ ...probe, eventId: crypto.randomUUID() }]);
          return undefined;
        },
        { timeoutMs: 10_000, intervalMs: 500, message: 'the circuit to close after a good probe' },
      );
      expect(receiver.at('/flapping').some((request) => request.headers['webhook-attempt'] === '1')).toBe(
        true,
      );
    });
  });

  describe('when the receiver answers 410 Gone', () => {
    it('disables the webhook with the reason, sends nothing more, and an operator can enable it again', async () => {
      receiver.respondWith('/gone', 410);
      const webhook = await create({ goodsOwnerIds: [402], url: receiver.url('/gone') });
      await create({ goodsOwnerIds: [402], url: receiver.url('/gone-control') });
      await pipeline.publish([wmsEvent({ goodsOwnerId: 402 })]);

      const disabled = await waitFor(
        async () => {
          const current = (await (await pipeline.api(`/api/webhooks/${webhook.id}`)).json()) as {
            enabled: boolean;
            disabledReason?: string | null;
            version: number;
          };
          return !current.enabled && current;
        },
        { message: 'the webhook disabled' },
      );
      expect(disabled.disabledReason).toBe('the receiver answered 410 Gone');
      const [dead] = await waitFor(async () => {
        const page = (await (await pipeline.api(`/api/webhooks/${webhook.id}/logs`)).json()) as {
          items: Array<{ final: boolean; statusCode: number | null; nextAttemptAt: string | null }>;
        };
        return page.items.length > 0 && page.items;
      });
      expect(dead).toMatchObject({ final: true, statusCode: 410, nextAttemptAt: null });

      // Once the services follow the change, the next event reaches the owner's other webhook only.
      await pipeline.propagated(webhook.id, disabled.version);
      await pipeline.publish([wmsEvent({ goodsOwnerId: 402 })]);
      await waitFor(() => receiver.at('/gone-control').length === 2 || undefined, {
        message: 'the second event at the control webhook',
      });
      expect(receiver.at('/gone')).toHaveLength(1);
      const metrics = await (await fetch(`${pipeline.senderOpsUrl}/metrics`)).text();
      expect(metrics).toMatch(/^wms_webhooks_webhooks_disabled_total\{service="sender"\} 1$/m);

      const enabled = await pipeline.api(`/api/webhooks/${webhook.id}`, {
        method: 'PUT',
        body: webhookBody({
          retryPolicy: 'one-day',
          goodsOwnerIds: [402],
          url: receiver.url('/gone'),
          enabled: true,
        }),
      });
      expect(await enabled.json()).toMatchObject({ enabled: true, disabledReason: null });
    });
  });

  describe('when one endpoint hangs until its timeout', () => {
    it('keeps delivering a steady stream to a healthy endpoint with latency close to its baseline', async () => {
      receiver.hang('/hang');
      const hanging = await create({ goodsOwnerIds: [402], url: receiver.url('/hang'), timeoutMs: 1000 });
      const healthy = await create({ goodsOwnerIds: [403], url: receiver.url('/healthy') });
      // Deliveries are keyed by webhook; two webhooks on one partition share its order, and so its stalls.
      const partitionOf = (webhookId: string) => partitionFor(webhookId, 12);
      const sharedPartition = partitionOf(hanging.id) === partitionOf(healthy.id);

      const stream = async (count: number, perSecond: number, withHanging: boolean) => {
        const sent = new Map<string, number>();
        for (let index = 0; index < count; index++) {
          const healthy = wmsEvent({ goodsOwnerId: 403 });
          const batch = [healthy, ...(withHanging ? [wmsEvent({ goodsOwnerId: 402 })] : [])];
          sent.set(healthy.eventId, Date.now());
          await pipeline.publish(batch);
          await new Promise((tick) => setTimeout(tick, 1000 / perSecond));
        }
        const latencies = await waitFor(
          () => {
            const arrived = receiver
              .at('/healthy')
              .map((request) => [JSON.parse(request.body).eventId as string, request.receivedAt] as const)
              .filter(([eventId]) => sent.has(eventId));
            return (
              arrived.length === count && arrived.map(([eventId, at]) => at - (sent.get(eventId) as number))
            );
          },
          { timeoutMs: 30_000, message: `all ${count} healthy deliveries` },
        );
        return {
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          max: Math.max(...latencies),
        };
      };

      const baseline = await stream(30, 10, false);
      const withHanging = await stream(60, 10, true);
      console.log(
        `healthy endpoint latency (ms), baseline p50 ${baseline.p50} p95 ${baseline.p95} max ${baseline.max}; ` +
          `next to a hanging endpoint (1 s timeout) p50 ${withHanging.p50} p95 ${withHanging.p95} max ${withHanging.max}; ` +
          `same delivery partition: ${sharedPartition}`,
      );
      // Every healthy delivery arrives, and the typical one is not held up by the hanging endpoint's timeouts.
      expect(withHanging.p50).toBeLessThan(baseline.p50 + 500);
    }, 90_000);
  });
});
