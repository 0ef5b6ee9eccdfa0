import type { z } from 'zod';

/** One variable of a config schema, as its documentation shows it. */
export interface EnvVariableDoc {
  name: string;
  /** No default and not optional: the start stops naming it when it is unset. */
  required: boolean;
  /** The default as the docs print it, when there is one. */
  defaultText?: string;
  description?: string;
  /** An enum's values, so the docs list what is accepted without repeating it by hand. */
  choices?: readonly string[];
}

interface Inspectable {
  description?: string | undefined;
  meta?: () => Record<string, unknown> | undefined;
  _zod: { def: { type: string; [key: string]: unknown } };
}

function formatDefault(value: unknown): string {
  if (value === '') return 'empty';
  return `\`${String(value)}\``;
}

/**
 * What a schema's variables are, read from the schema itself: descriptions (`.describe()`, or
 * `.meta({ description, defaultText })` where the default is computed at run time), defaults, whether
 * required, and an enum's values. Wrappers (default, optional, transform) are looked through.
 */
export function describeEnv(schema: z.ZodObject): EnvVariableDoc[] {
  return Object.entries(schema.shape).map(([name, variable]) => {
    const doc: EnvVariableDoc = { name, required: true };
    let node = variable as unknown as Inspectable | undefined;
    while (node) {
      const meta = node.meta?.();
      doc.description ??= node.description;
      if (typeof meta?.defaultText === 'string') doc.defaultText ??= meta.defaultText;
      const { def } = node._zod;
      if (def.type === 'default') {
        doc.required = false;
        doc.defaultText ??= formatDefault(def.defaultValue);
        node = def.innerType as Inspectable;
      } else if (def.type === 'optional') {
        doc.required = false;
        node = def.innerType as Inspectable;
      } else if (def.type === 'pipe') {
        node = def.in as Inspectable;
      } else {
        if (def.type === 'enum') doc.choices = Object.values(def.entries as Record<string, string>);
        node = undefined;
      }
    }
    return doc;
  });
}
