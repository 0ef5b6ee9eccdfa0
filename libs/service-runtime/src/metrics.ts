import { collectDefaultMetrics, Registry } from 'prom-client';

export const metricPrefix = 'wms_webhooks_';

/** One registry per service, with the process metrics Prometheus expects from a Node service. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: metricPrefix });
  return registry;
}
