import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createDeliveryQueue } from './delivery-wiring';

const queued = async (metrics: Registry) =>
  (await metrics.getSingleMetric('wms_webhooks_delivery_queued')?.get())?.values[0]?.value;

describe('createDeliveryQueue', () => {
  it('reports deliveries in flight and waiting behind their webhook, and none once answered', async () => {
    const metrics = new Registry();
    const queue = createDeliveryQueue(metrics, 4);
    let answer = () => {};
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const first = queue.run('webhook-1', () => answered);
    const second = queue.run('webhook-1', async () => undefined);
    expect(await queued(metrics)).toBe(2);
    answer();
    await Promise.all([first, second]);
    expect(await queued(metrics)).toBe(0);
  });
});
