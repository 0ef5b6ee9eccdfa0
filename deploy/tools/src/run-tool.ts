import { ConfigError } from '@wms-webhooks/config';

/** Runs a command-line tool's body: a known error prints as one readable message, and the exit code says how it went. */
export function runTool(body: () => Promise<void>) {
  body().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    },
  );
}
