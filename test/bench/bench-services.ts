import { join } from 'node:path';
import { launchService, type RunningService, stopServices, waitUntilReady } from '@wms-webhooks/tools';
import { freePorts } from '../support/free-port';

export interface ServicePlan {
  matchers: number;
  senders: number;
}

export interface BenchServices {
  apiUrl: string;
  /** label → ops URL (`/metrics`), for every service. */
  opsUrls: Map<string, string>;
  pids: Map<string, number>;
  running: RunningService[];
  stop(): Promise<void>;
}

/** The whole pipeline as separate processes, as deployed: several matchers and senders share groups. */
export async function launchBenchServices(
  env: NodeJS.ProcessEnv,
  plan: ServicePlan,
  logsDir: string,
  /** Where each service writes a V8 CPU profile on exit (node --cpu-prof), if profiling. */
  profileDir?: string,
): Promise<BenchServices> {
  const specs = [
    { name: 'api', label: 'api', extra: {} as Record<string, string> },
    { name: 'ingester', label: 'ingester', extra: {} },
    ...Array.from({ length: plan.matchers }, (_, index) => ({
      name: 'matcher',
      label: `matcher-${index + 1}`,
      extra: {},
    })),
    ...Array.from({ length: plan.senders }, (_, index) => ({
      name: 'sender',
      label: `sender-${index + 1}`,
      extra: {},
    })),
    ...['1m', '5m', '15m', '30m', '2h'].map((tier) => ({
      name: 'retrier',
      label: `retrier-${tier}`,
      extra: { RETRY_TIER: tier },
    })),
  ];
  const opsUrls = new Map<string, string>();
  const ports = await freePorts(specs.length);
  const running = await Promise.all(
    specs.map(async (spec, index) => {
      const port = ports[index] as number;
      const service = launchService(
        {
          name: spec.name,
          label: spec.label,
          readyUrl: `http://127.0.0.1:${port}/readyz`,
          nodeArgs: profileDir
            ? // One folder per service: the tsx loader's worker thread writes a profile of its own.
              ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, spec.label)}`]
            : [],
          env: {
            ...process.env,
            ...env,
            ...(spec.name === 'api' ? { API_PORT: String(port) } : { OPS_PORT: String(port) }),
            ...spec.extra,
          },
        },
        logsDir,
      );
      opsUrls.set(spec.label, `http://127.0.0.1:${port}`);
      return service;
    }),
  );
  try {
    await Promise.all(running.map((service) => waitUntilReady(service, 120_000)));
  } catch (error) {
    // One that failed to start must not leave the others running (and polling Kafka) after the bench.
    for (const service of running) service.child.kill('SIGKILL');
    throw error;
  }
  return {
    apiUrl: opsUrls.get('api') as string,
    opsUrls,
    pids: new Map(
      running.map((service) => [service.spec.label ?? service.spec.name, service.child.pid as number]),
    ),
    running,
    async stop() {
      await stopServices(running);
    },
  };
}

/** A gauge's value summed over the exposition text, e.g. wms_webhooks_definitions_cached. */
export async function scrapeGauge(opsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}
