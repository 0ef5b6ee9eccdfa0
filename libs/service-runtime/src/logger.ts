import kafkajs, { type logCreator } from 'kafkajs';
import { type Logger, pino } from 'pino';

const { logLevel } = kafkajs;

export type { Logger } from 'pino';

/** JSON logs on stdout, one line per entry, with the service name on every line. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** Routes kafkajs's own logging into the service's pino logger. */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, label, log }) => {
      const { message, ...extra } = log;
      const child = { component: 'kafkajs', ...extra };
      if (level === logLevel.ERROR) logger.error(child, message);
      else if (level === logLevel.WARN) logger.warn(child, message);
      else if (level === logLevel.INFO) logger.info(child, message);
      else logger.debug({ ...child, label }, message);
    };
}
