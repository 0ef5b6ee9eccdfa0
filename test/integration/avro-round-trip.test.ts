import { producerSendsChannel } from '@platformatic/kafka';
import { catalogueSchema, topicCatalogue, type WmsEvent } from '@wms-webhooks/contracts';
import {
  AvroTopicProducer,
  createDurableProducer,
  ensureTopics,
  type RunningConsumer,
  subjectFor,
} from '@wms-webhooks/kafka';
import { createLogger } from '@wms-webhooks/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAvroConsumer } from '../support/avro-consumer';
import { sampleValues } from '../support/sample-values';
import { testEndpoints, testKafka, testSerde } from '../support/stack';
import { uniqueName } from '../support/unique';
import { waitFor } from '../support/wait-for';

describe('an Avro WmsEvent through the real registry and broker', () => {
  const topic = uniqueName('it.avro-round-trip');
  const kafka = testKafka('it-avro-round-trip');
  const admin = kafka.admin();
  const producer = createDurableProducer(kafka);
  const serde = testSerde();
  const received: Array<{ value: WmsEvent; raw: Buffer; key: string | undefined }> = [];
  let consumer: RunningConsumer;
  let schemaId: number;

  beforeAll(async () => {
    await ensureTopics(admin, [{ ...topicCatalogue().wmsEvents.spec, name: topic, partitions: 3 }]);
    schemaId = await serde.register(topic, catalogueSchema(topicCatalogue().wmsEvents));
    consumer = await runAvroConsumer<WmsEvent>(kafka, serde, {
      groupId: uniqueName('it-avro-group'),
      topic,
      logger: createLogger('it-avro-round-trip', 'fatal'),
      startAt: 'earliest',
      handle: async (value, record) => {
        received.push({ value, raw: record.value as Buffer, key: record.key?.toString() });
      },
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await producer.close();
    await admin.deleteTopics([topic]).catch(() => undefined);
    await admin.close();
  });

  it('comes back equal to what was produced, in the Confluent wire format', async () => {
    const event = sampleValues['wms-event.avsc']!() as WmsEvent;
    await new AvroTopicProducer<WmsEvent>(producer, serde, topic).send([
      { key: event.entityId, value: event },
    ]);

    const record = await waitFor(() => received.find((entry) => entry.value.eventId === event.eventId), {
      message: 'the produced event to be consumed',
    });
    expect(record.value).toEqual(event);
    expect(record.key).toBe(event.entityId);
    expect(record.raw[0]).toBe(0);
    expect(record.raw.readInt32BE(1)).toBe(schemaId);
  });

  it('registers the value schema under <topic>-value with BACKWARD compatibility', async () => {
    const response = await fetch(`${testEndpoints().schemaRegistryUrl}/config/${subjectFor(topic)}`);
    expect(await response.json()).toEqual({ compatibilityLevel: 'BACKWARD' });
  });

  it('reuses the cached schema id when the same schema is registered again', async () => {
    expect(await serde.register(topic, catalogueSchema(topicCatalogue().wmsEvents))).toBe(schemaId);
    expect(serde.schemaId(topic)).toBe(schemaId);
  });

  /** `count` events with one key, numbered in their payloads. */
  const keyedEvents = (count: number, entityId: string): WmsEvent[] =>
    Array.from({ length: count }, (_, index) => ({
      ...(sampleValues['wms-event.avsc']!() as WmsEvent),
      entityId,
      payload: JSON.stringify({ sequence: index }),
    }));

  /** The ids of `events` in the order they were consumed, once every one has been. */
  const consumedOrder = async (events: WmsEvent[]) => {
    const ids = new Set(events.map((event) => event.eventId));
    const arrived = await waitFor(
      () => {
        const matching = received.filter((entry) => ids.has(entry.value.eventId));
        return matching.length === events.length && matching;
      },
      { message: `all ${events.length} events keyed ${events[0]?.entityId}` },
    );
    return arrived.map((entry) => entry.value.eventId);
  };

  it('keeps the order of records with the same key', async () => {
    const events = keyedEvents(20, 'ORD-ordered');
    await new AvroTopicProducer<WmsEvent>(producer, serde, topic).send(
      events.map((value) => ({ key: value.entityId, value })),
    );
    expect(await consumedOrder(events)).toEqual(events.map((event) => event.eventId));
  });

  it('keeps call order across concurrent sends of one key, which share produce requests', async () => {
    const produceRequests: unknown[] = [];
    const count = (event: unknown) => produceRequests.push(event);
    producerSendsChannel.start.subscribe(count);
    const stopCounting = () => producerSendsChannel.start.unsubscribe(count);
    const events = keyedEvents(12, 'ORD-concurrent');
    const topicProducer = new AvroTopicProducer<WmsEvent>(producer, serde, topic);
    await Promise.all(events.map((value) => topicProducer.send([{ key: value.entityId, value }])));
    stopCounting();

    expect(await consumedOrder(events)).toEqual(events.map((event) => event.eventId));
    expect(produceRequests.length).toBeLessThan(events.length);
  });

  describe('when one record of a send is too large for its topic', () => {
    it('hands that record to divertOversize and produces the others', async () => {
      const limited = createDurableProducer(kafka, {
        maxMessageBytes: (name) => (name === topic ? 16 * 1024 : undefined),
      });
      const diverted: Array<{ topic: string; bytes: number }> = [];
      try {
        const [small, large] = keyedEvents(2, 'ORD-oversize');
        const oversize = { ...(large as WmsEvent), payload: JSON.stringify({ pad: 'x'.repeat(20_000) }) };
        await new AvroTopicProducer<WmsEvent>(limited, serde, topic, {
          divertOversize: async (to, records) => {
            for (const record of records) diverted.push({ topic: to, bytes: record.value.length });
          },
        }).send([small as WmsEvent, oversize].map((value) => ({ key: value.entityId, value })));
        expect(await consumedOrder([small as WmsEvent])).toEqual([small?.eventId]);
        expect(diverted).toEqual([{ topic, bytes: expect.any(Number) }]);
        expect(diverted[0]?.bytes).toBeGreaterThan(20_000);
        expect(received.some((entry) => entry.value.eventId === oversize.eventId)).toBe(false);
      } finally {
        await limited.close();
      }
    });
  });
});
