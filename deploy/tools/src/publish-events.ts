import { catalogueSchema, topicCatalogue, type WmsEvent } from '@wms-webhooks/contracts';
import type { Endpoints } from '@wms-webhooks/endpoints';
import { AvroTopicProducer, createDurableProducer } from '@wms-webhooks/kafka';
import { connectTools } from './connect';

/** Publishes events to wms.events as a WMS service would: Avro, keyed by entity, acks=all. */
export async function publishEvents(endpoints: Endpoints, topicPrefix: string, events: WmsEvent[]) {
  const { kafka, serde } = connectTools(endpoints, 'wms-sample-producer');
  const entry = topicCatalogue(topicPrefix).wmsEvents;
  await serde.register(entry.spec.name, catalogueSchema(entry));
  const producer = createDurableProducer(kafka);
  try {
    const topic = new AvroTopicProducer<WmsEvent>(producer, serde, entry.spec.name);
    for (let index = 0; index < events.length; index += 500) {
      await topic.send(
        events.slice(index, index + 500).map((event) => ({ key: event.entityId, value: event })),
      );
    }
  } finally {
    await producer.close();
  }
}
