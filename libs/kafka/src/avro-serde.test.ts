import { describe, expect, it } from 'vitest';
import { AvroSerde, createSchemaRegistry, SchemaNotRegisteredError, subjectFor } from './avro-serde';

describe('AvroSerde', () => {
  it('names subjects <topic>-value', () => {
    expect(subjectFor('wms.events')).toBe('wms.events-value');
  });

  describe('when a topic has no registered schema', () => {
    // Nothing listens on port 9: encoding must fail before any request is made.
    const serde = new AvroSerde(createSchemaRegistry('http://127.0.0.1:9'));

    it('refuses to encode, naming the topic', async () => {
      expect(() => serde.schemaId('wms.events')).toThrow(SchemaNotRegisteredError);
      await expect(serde.encode('wms.events', {})).rejects.toThrow(
        /no schema registered for topic wms\.events/,
      );
    });
  });
});
