import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { splitUrlCredentials } from '@wms-webhooks/config';
import { InvalidInputError, TransientError } from '@wms-webhooks/errors';
import { type AvroTypeShape, decodeBounded } from './avro-bounds';

export type AvroSchema = { type: 'record'; name: string; namespace?: string; [key: string]: unknown };

export class SchemaNotRegisteredError extends Error {
  override readonly name = 'SchemaNotRegisteredError';
}

export function subjectFor(topic: string): string {
  return `${topic}-value`;
}

/** A registry URL's user-info becomes the client's Basic auth: the client would send it nowhere otherwise. */
export function createSchemaRegistry(url: string): SchemaRegistry {
  const { url: host, credentials } = splitUrlCredentials(url);
  return new SchemaRegistry({ host, ...(credentials ? { auth: credentials } : {}) });
}

/** The client does not export its error classes; the name and message are how they tell apart. */
function isCreationRace(error: unknown): boolean {
  const { name, message } = error as Error;
  return (
    name === 'ConfluentSchemaRegistryCompatibilityError' ||
    /rule named 'COMPATIBILITY' already exists/.test(message)
  );
}

/**
 * Avro in the Confluent wire format (magic byte, 4-byte schema id, body) for the project's topics.
 * Each topic's value schema is registered under `<topic>-value` with BACKWARD compatibility, and the
 * id it gets is cached, so encoding costs no registry round trip. Decoding resolves the writer schema by
 * the id in the message; the registry client caches those too.
 */
export class AvroSerde {
  private readonly ids = new Map<string, number>();

  constructor(readonly registry: SchemaRegistry) {}

  /**
   * Services starting together race to create a subject: the client registers, then sets BACKWARD, and
   * a second registrar in between reads the registry default, or sets the rule too and is told it exists.
   * Both heal in moments, so they are retried for a few seconds; a mismatch that persists is a real
   * misconfiguration and is thrown.
   */
  async register(topic: string, schema: AvroSchema): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { id } = await this.registry.register(
          { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
          { subject: subjectFor(topic), compatibility: COMPATIBILITY.BACKWARD },
        );
        this.ids.set(topic, id);
        return id;
      } catch (error) {
        if (!isCreationRace(error) || attempt >= 25) throw error;
        await new Promise((retry) => setTimeout(retry, 200));
      }
    }
  }

  schemaId(topic: string): number {
    const id = this.ids.get(topic);
    if (id === undefined) {
      throw new SchemaNotRegisteredError(
        `no schema registered for topic ${topic}; call register(topic, schema) at start`,
      );
    }
    return id;
  }

  async encode(topic: string, value: unknown): Promise<Buffer> {
    return this.registry.encode(this.schemaId(topic), value);
  }

  /**
   * Decodes a Confluent-framed value with the writer's schema from the registry. Bytes that can never
   * decode (no frame, a schema id the registry does not have, data that does not fit its schema) are
   * InvalidInputError: permanent, so the caller files the record away. The registry being unreachable is
   * TransientError: the same record is tried again, never misfiled while the registry is merely down.
   * The data is checked against its schema's bounds before avsc reads it (see checkAvroBounds).
   */
  async decode<T>(value: Buffer | null): Promise<T> {
    if (!value || value.length === 0) throw new InvalidInputError('undecodable', 'the record has no value');
    if (value.length < 5 || value[0] !== 0) {
      throw new InvalidInputError(
        'undecodable',
        'the value is not in the Confluent wire format (magic byte 0 and a schema id)',
      );
    }
    const schemaId = value.readInt32BE(1);
    let type: AvroTypeShape & { fromBuffer(body: Buffer): unknown };
    try {
      type = (await this.registry.getSchema(schemaId)) as unknown as typeof type;
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        throw new InvalidInputError('unknown-schema', `schema id ${schemaId} is not in the registry`);
      }
      throw new TransientError(
        'registry-unavailable',
        `fetching schema ${schemaId} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const body = value.subarray(5);
    try {
      return decodeBounded(type, body) as T;
    } catch (error) {
      throw new InvalidInputError(
        'undecodable',
        `the value does not decode with schema ${schemaId}: ${(error as Error).message}`,
        undefined,
        { cause: error },
      );
    }
  }

  /** The values of a batch, in order; tombstones (null values) are skipped. */
  async decodeValues<T>(messages: ReadonlyArray<{ value: Buffer | null }>): Promise<T[]> {
    const values: T[] = [];
    for (const message of messages) if (message.value) values.push(await this.decode<T>(message.value));
    return values;
  }
}
