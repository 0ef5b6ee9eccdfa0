import type { DeliveryTask, WmsEvent } from '@wms-webhooks/contracts';
import type { AvroSerde, KafkaClient } from '@wms-webhooks/kafka';
import { readTopics } from '../support/topic-reader';
import { percentile } from './stats';

/** When each step handed a delivery on, in epoch ms: record timestamps are the producers' create times. */
export interface DeliveryTrail {
  /** The generator's schedule for the event (its occurredAt). */
  scheduledAt: number;
  /** The event's record on wms.events: the generator handed it to its producer. */
  produced: number;
  /** The accepted event's record: the ingester handed it on. */
  ingested: number;
  /** The delivery task's record on webhooks.deliveries: the matcher handed it on. */
  matched: number;
  /** The request was in at the receiver. */
  arrived: number;
}

const hops = {
  generator: (trail: DeliveryTrail) => trail.produced - trail.scheduledAt,
  ingester: (trail: DeliveryTrail) => trail.ingested - trail.produced,
  matcher: (trail: DeliveryTrail) => trail.matched - trail.ingested,
  sender: (trail: DeliveryTrail) => trail.arrived - trail.matched,
};

type HopName = keyof typeof hops;

/**
 * Where a first attempt's time went, hop by hop. Each hop runs from the record its step consumed being
 * handed to a producer to the record it produced being handed to one, so it holds the produce, the
 * fetch's wait and the step's own work; the sender's ends at the receiver.
 */
export function hopTimes(trails: readonly DeliveryTrail[]) {
  const figures = (of: (trail: DeliveryTrail) => number) => {
    const samples = trails.map(of);
    return { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99) };
  };
  return {
    count: trails.length,
    ...(Object.fromEntries(Object.entries(hops).map(([name, of]) => [name, figures(of)])) as Record<
      HopName,
      ReturnType<typeof figures>
    >),
  };
}

/** Each first attempt timed at the receiver, with its steps' record timestamps read back from the topics. */
export async function readTrails(
  kafka: KafkaClient,
  serde: AvroSerde,
  topics: { wmsEvents: string; acceptedEvents: string; deliveries: string },
  arrivals: ReadonlyArray<{ id: string; at: number; latencyMs: number }>,
): Promise<DeliveryTrail[]> {
  // Only an id and a time per record are kept: a backlog run reads back hundreds of thousands.
  const timesById = async <T>(topic: string, keep: (value: T) => { id: string; eventId: string }) => {
    const byId = new Map<string, { eventId: string; at: number }>();
    for (const record of await readTopics(kafka, [topic], 120_000)) {
      if (!record.value) continue;
      const { id, eventId } = keep(await serde.decode<T>(record.value));
      byId.set(id, { eventId, at: Number(record.timestamp) });
    }
    return byId;
  };
  const byEvent = (event: WmsEvent) => ({ id: event.eventId, eventId: event.eventId });
  const produced = await timesById(topics.wmsEvents, byEvent);
  const ingested = await timesById(topics.acceptedEvents, byEvent);
  const matched = await timesById<DeliveryTask>(topics.deliveries, (task) => ({
    id: task.deliveryId,
    eventId: task.eventId,
  }));
  const trails: DeliveryTrail[] = [];
  for (const arrival of arrivals) {
    const task = matched.get(arrival.id);
    const event = task && produced.get(task.eventId);
    const accepted = task && ingested.get(task.eventId);
    if (!task || !event || !accepted) continue;
    trails.push({
      scheduledAt: arrival.at - arrival.latencyMs,
      produced: event.at,
      ingested: accepted.at,
      matched: task.at,
      arrived: arrival.at,
    });
  }
  return trails;
}
