import { randomUUID } from 'node:crypto';
import type { WmsEvent } from '@wms-webhooks/contracts';
import type { AvroTopicProducer } from '@wms-webhooks/kafka';

export interface LoadPlan {
  events: number;
  /** Events per second; 0 produces as fast as the producer takes them. */
  rate: number;
  goodsOwners: number;
}

/** The i-th event of a run: owners, types and attributes spread evenly, so every run is comparable. */
export function benchEvent(index: number, goodsOwners: number, scheduledAt: number): WmsEvent {
  const entityId = `ORD-B${index}`;
  return {
    eventId: randomUUID(),
    eventType: index % 5 === 4 ? 'order.shipped' : 'order.picked',
    occurredAt: scheduledAt,
    goodsOwnerId: (index % goodsOwners) + 1,
    warehouseId: `WH-${(index % 3) + 1}`,
    entityId,
    attributes: {
      transporterCode: index % 2 === 0 ? 'DHL' : 'UPS',
      orderType: index % 3 === 0 ? 'B2B' : 'B2C',
    },
    payload: JSON.stringify({
      orderId: entityId,
      status: 'picked',
      lines: [
        { lineNumber: 1, sku: 'SKU-RED-M', quantity: 2 },
        { lineNumber: 2, sku: 'SKU-BLUE-L', quantity: 1 },
      ],
    }),
  };
}

/** When event `index` of a run at `rate` events/s is due, in ms from its start. */
export function scheduledOffsetMs(index: number, rate: number): number {
  return Math.floor((index * 1000) / rate);
}

/**
 * How many of the plan's events are due a whole `elapsedMs` into the run: those whose scheduled offset
 * is at most that, in integers so that no rounding sends one a millisecond early or late.
 */
export function dueCount(elapsedMs: number, plan: Pick<LoadPlan, 'events' | 'rate'>): number {
  const scaled = (Math.floor(elapsedMs) + 1) * plan.rate;
  return Math.min(plan.events, Math.floor((scaled + 999) / 1000));
}

/**
 * Produces the plan's events on schedule: event i is due at start + i / rate, and carries that time as
 * occurredAt, so a generator that falls behind shows up as latency rather than hiding it.
 */
export async function produceLoad(
  producer: AvroTopicProducer<WmsEvent>,
  plan: LoadPlan,
  onScheduled: (event: WmsEvent) => void,
): Promise<{ startedAt: number; finishedAt: number }> {
  const startedAt = Date.now();
  let sent = 0;
  while (sent < plan.events) {
    const due = plan.rate > 0 ? dueCount(Date.now() - startedAt, plan) : sent + 500;
    const count = Math.min(plan.events, due) - sent;
    if (count <= 0) {
      await new Promise((tick) => setTimeout(tick, 5));
      continue;
    }
    const batch = Array.from({ length: count }, (_, offset) => {
      const index = sent + offset;
      const scheduledAt = plan.rate > 0 ? startedAt + scheduledOffsetMs(index, plan.rate) : Date.now();
      const event = benchEvent(index, plan.goodsOwners, scheduledAt);
      onScheduled(event);
      return event;
    });
    await producer.send(batch.map((event) => ({ key: event.entityId, value: event })));
    sent += count;
  }
  return { startedAt, finishedAt: Date.now() };
}
