import { InvalidInputError, TransientError } from '@wms-webhooks/errors';
import type { AvroSerde } from '@wms-webhooks/kafka';

/**
 * Decodes a Confluent-framed Avro value. Bytes that can never decode, or name a schema id the registry
 * does not have, are InvalidInputError; the registry being unreachable is TransientError, so the
 * record is retried rather than thrown away.
 */
export async function decodeRecord(serde: AvroSerde, value: Buffer | null): Promise<unknown> {
  if (!value || value.length === 0) throw new InvalidInputError('undecodable', 'the record has no value');
  if (value.length < 5 || value[0] !== 0) {
    throw new InvalidInputError(
      'undecodable',
      'the value is not in the Confluent wire format (magic byte 0 and a schema id)',
    );
  }
  const schemaId = value.readInt32BE(1);
  try {
    await serde.registry.getSchema(schemaId);
  } catch (error) {
    if ((error as { status?: number }).status === 404) {
      throw new InvalidInputError('unknown-schema', `schema id ${schemaId} is not in the registry`);
    }
    throw new TransientError(
      'registry-unavailable',
      `fetching schema ${schemaId} failed: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  try {
    return await serde.decode(value);
  } catch (error) {
    throw new InvalidInputError(
      'undecodable',
      `the value does not decode with schema ${schemaId}: ${(error as Error).message}`,
    );
  }
}
