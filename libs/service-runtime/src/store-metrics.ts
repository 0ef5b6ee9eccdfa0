import { Counter, Histogram, type Registry } from 'prom-client';

/** Times every write to the store and counts the ones that fail, by operation. */
export function createStoreMetrics(registry: Registry) {
  const duration = new Histogram({
    name: 'wms_webhooks_store_write_duration_seconds',
    help: 'Time a write to the store took, by operation.',
    labelNames: ['operation'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'wms_webhooks_store_write_failures_total',
    help: 'Writes to the store that failed, by operation.',
    labelNames: ['operation'],
    registers: [registry],
  });
  return async function timedWrite<T>(operation: string, write: () => Promise<T>): Promise<T> {
    const stop = duration.startTimer({ operation });
    try {
      return await write();
    } catch (error) {
      failures.inc({ operation });
      throw error;
    } finally {
      stop();
    }
  };
}
