import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReplaySource } from './replay-request';
import type { ReplayState } from './replay-store';

/** What an API's replays count for /metrics. */
export function createReplayMetrics(registry: Registry) {
  const deliveries = new Counter({
    name: 'wms_webhooks_replay_deliveries_total',
    help: 'Deliveries replays sent (handed to the sender), or skipped as already sent again by a Resend or another replay, by source.',
    labelNames: ['source', 'result'],
    registers: [registry],
  });
  const finished = new Counter({
    name: 'wms_webhooks_replays_finished_total',
    help: 'Replays that ended, by source and how: completed, cancelled or failed.',
    labelNames: ['source', 'state'],
    registers: [registry],
  });
  const runs = new Gauge({
    name: 'wms_webhooks_replays_running',
    help: 'Replays this API is running now.',
    registers: [registry],
  });
  return {
    delivered: (source: ReplaySource, result: 'sent' | 'skipped', count: number) =>
      deliveries.inc({ source, result }, count),
    finished: (source: ReplaySource, state: ReplayState) => finished.inc({ source, state }),
    running: (count: number) => runs.set(count),
  };
}

export type ReplayMetrics = ReturnType<typeof createReplayMetrics>;
