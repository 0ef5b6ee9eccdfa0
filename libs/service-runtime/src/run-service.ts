import { ConfigError } from '@wms-webhooks/config';
import type { Logger } from './logger';
import { handleShutdown, type ShutdownStep } from './shutdown';

export interface StartedService {
  context: { logger: Logger };
  shutdownSteps: ShutdownStep[];
  timeoutMs: number;
}

/** What a service's main.ts calls: start with the process environment, then stop cleanly on SIGTERM. */
export function runService(name: string, start: (env: NodeJS.ProcessEnv) => Promise<StartedService>) {
  start(process.env).then(
    (service) => handleShutdown(service.context.logger, service.shutdownSteps, service.timeoutMs),
    (error: unknown) => {
      const message =
        error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error);
      console.error(JSON.stringify({ level: 'fatal', service: name, msg: `failed to start: ${message}` }));
      process.exit(1);
    },
  );
}
