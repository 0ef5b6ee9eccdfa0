import type { z } from 'zod';
import { ConfigError } from './config-error';

type Environment = Record<string, string | undefined>;

/**
 * Validates the environment once, against one schema whose keys are the variable names.
 * An empty variable counts as unset, so `FOO= cmd` falls back to the default instead of failing.
 */
export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  env: Environment = process.env,
): z.infer<Schema> {
  const present: Environment = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') present[key] = value.trim();
  }
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = issue.path.length > 0 ? issue.path.join('.') : '(environment)';
      // zod's "expected string, received undefined" says less than what happened: nobody set it.
      const unset =
        issue.code === 'invalid_type' && issue.path.length === 1 && present[variable] === undefined;
      return { variable, message: unset ? 'is required' : issue.message };
    }),
  );
}
