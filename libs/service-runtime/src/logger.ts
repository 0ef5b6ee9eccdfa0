import { redactCredentials } from '@wms-webhooks/config';
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON logs on stdout, one line per entry, with the service name on every line. Every line passes
 * through the credential mask, so a URL with a password, from an endpoint or inside an error, never lands
 * in the logs.
 *
 * Lines are written as they are logged: a buffered stdout loses or reorders the lines still on their way
 * when the process exits, which are the lines that say how it stopped. The services log per event only
 * at debug, so the writes cost nothing that shows.
 */
export function createLogger(service: string, level = 'info'): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: { streamWrite: redactCredentials },
    },
    pino.destination({ dest: 1, sync: true }),
  );
}
