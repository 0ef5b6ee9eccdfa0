import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const schemaDir = dirname(fileURLToPath(import.meta.url));

export interface AvroRecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  fields: Array<{ name: string; type: unknown; default?: unknown; doc?: string }>;
  [key: string]: unknown;
}

export function schemaFiles(): string[] {
  return readdirSync(schemaDir)
    .filter((file) => file.endsWith('.avsc'))
    .sort();
}

/** Reads one .avsc file of this folder; a malformed file fails here, naming the file. */
export function readSchema(file: string): AvroRecordSchema {
  const text = readFileSync(join(schemaDir, file), 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`schemas/${file} is not valid JSON: ${(error as Error).message}`);
  }
  const schema = parsed as Partial<AvroRecordSchema>;
  if (schema.type !== 'record' || typeof schema.name !== 'string' || !Array.isArray(schema.fields)) {
    throw new Error(`schemas/${file} must be an Avro record schema with a name and fields`);
  }
  return schema as AvroRecordSchema;
}
