import {
  loadStackLayout,
  nativeEndpoints,
  printUpReport,
  stackDown,
  stackUp,
} from '@wms-webhooks/local-stack';
import type { ProvidedEndpoints } from './endpoints';

/** The native stack's endpoints, as configured; nothing is started. */
export function configuredNativeEndpoints(env: NodeJS.ProcessEnv = process.env) {
  return nativeEndpoints(loadStackLayout(env));
}

/**
 * Brings the native stack up (downloading on first use). Release stops it only when this call started
 * every component, so a stack someone else is using is never taken away from them.
 */
export async function startNativeStack(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): Promise<ProvidedEndpoints> {
  const layout = loadStackLayout(env);
  const report = await stackUp(layout, (line) => log(`[stack] ${line}`));
  printUpReport(report, layout.runDir, log);
  const startedAll = report.components.every((component) => component.state === 'started');
  return {
    endpoints: report.endpoints,
    release: async () => {
      if (startedAll) await stackDown(layout);
    },
  };
}
