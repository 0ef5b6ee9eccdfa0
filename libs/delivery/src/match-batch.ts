import type { DeliveryTask, WmsEvent } from '@wms-webhooks/contracts';
import type { Webhook } from '@wms-webhooks/webhooks';
import { type PlannedDelivery, planDeliveries } from './plan-deliveries';

export interface MatchBatchDeps {
  /** The webhooks of an event type, as the definitions cache holds them. */
  webhooksFor(eventType: string): readonly Webhook[];
  /** Produces the tasks; resolves once they are durable, so the batch may be committed after. */
  send(records: Array<{ key: string; value: DeliveryTask }>): Promise<void>;
  now(): number;
  /** How many webhooks one event matched. */
  matched(count: number): void;
  /** How many tasks went out. */
  emitted(count: number): void;
}

/**
 * The matcher's work on a batch of accepted events: one task per (event, webhook), in event order, keyed
 * by its lane so each lane's deliveries stay in order on one partition, all produced in one send.
 */
export async function matchBatch(deps: MatchBatchDeps, events: readonly WmsEvent[]): Promise<void> {
  const now = deps.now();
  const records: PlannedDelivery[] = [];
  for (const event of events) {
    const planned = planDeliveries(deps.webhooksFor(event.eventType), event, now);
    deps.matched(planned.length);
    records.push(...planned);
  }
  if (records.length === 0) return;
  await deps.send(records);
  deps.emitted(records.length);
}
