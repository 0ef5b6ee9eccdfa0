import { subjectFor } from '@wms-webhooks/kafka';
import { type AvroRecordSchema, readSchema, schemaFiles } from '@wms-webhooks/schemas';
import { describe, expect, it } from 'vitest';
import { sampleValues } from '../support/sample-values';
import { testEndpoints, testSerde } from '../support/stack';
import { uniqueName } from '../support/unique';

async function registerRaw(subject: string, schema: AvroRecordSchema) {
  return fetch(`${testEndpoints().schemaRegistryUrl}/subjects/${subject}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(schema) }),
  });
}

describe('every schema in schemas/', () => {
  it('has a sample value for the round-trip test', () => {
    expect(schemaFiles().filter((file) => !sampleValues[file])).toEqual([]);
  });

  describe.each(schemaFiles())('%s', (file) => {
    const schema = readSchema(file);

    it('round-trips a sample value through the real registry', async () => {
      const serde = testSerde();
      const topic = uniqueName(`it.schema.${schema.name}`);
      await serde.register(topic, schema);
      const value = sampleValues[file]!();
      const encoded = await serde.encode(topic, value);
      expect(await serde.decode(encoded)).toEqual(value);
    });

    describe('under BACKWARD compatibility', () => {
      it('accepts a new field that has a default', async () => {
        const serde = testSerde();
        const topic = uniqueName(`it.schema.${schema.name}`);
        await serde.register(topic, schema);
        const evolved = {
          ...schema,
          fields: [...schema.fields, { name: 'addedLater', type: ['null', 'string'], default: null }],
        };
        const response = await registerRaw(subjectFor(topic), evolved);
        expect(response.status).toBe(200);
      });

      it('rejects a new field without a default, and a changed field type', async () => {
        const serde = testSerde();
        const topic = uniqueName(`it.schema.${schema.name}`);
        await serde.register(topic, schema);
        const withRequiredField = {
          ...schema,
          fields: [...schema.fields, { name: 'addedLater', type: 'string' }],
        };
        const [first, ...rest] = schema.fields;
        const withChangedType = { ...schema, fields: [{ ...first!, type: 'boolean' }, ...rest] };

        for (const incompatible of [withRequiredField, withChangedType]) {
          const response = await registerRaw(subjectFor(topic), incompatible as AvroRecordSchema);
          expect(response.status).toBe(409);
        }
        const versions = await fetch(
          `${testEndpoints().schemaRegistryUrl}/subjects/${subjectFor(topic)}/versions`,
        );
        expect(await versions.json()).toEqual([1]);
      });
    });
  });
});
