import { z } from 'zod';

/**
 * A zod schema as a published JSON Schema (the OpenAPI document, the catalogue, the AsyncAPI document):
 * without its `$schema` line, which the documents embedding it declare, and without the safe-integer
 * bounds zod puts on every integer, which said on every count are noise.
 */
export function publishedJsonSchema(
  schema: z.ZodType,
  options: { io: 'input' | 'output'; target?: 'draft-7' | 'draft-2020-12' },
): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: options.io,
    target: options.target ?? 'draft-2020-12',
    unrepresentable: 'any',
    override: ({ jsonSchema }) => {
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    },
  });
  return rest;
}
