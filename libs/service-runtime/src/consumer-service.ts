import type { RunningConsumer } from '@wms-webhooks/kafka';
import { registerLagMetrics } from './lag-metrics';
import { type OpsServer, type ReadinessCheck, startOpsServer } from './ops-server';
import { registryReachable, storeReachable } from './readiness-checks';
import type { ServiceContext } from './service-context';
import type { ShutdownStep } from './shutdown';

export interface ConsumerServiceOptions {
  context: ServiceContext;
  host: string;
  port: number;
  consumer: RunningConsumer;
  /** The consumer's group and topic, whose lag the service reports. */
  group: { groupId: string; topic: string };
  /** What stopping the consumer finishes, for the shutdown log. */
  inFlight: string;
  /** Checks beyond the consumer's group membership and the store. */
  readiness?: Record<string, ReadinessCheck>;
  /** Steps between stopping the consumer and closing the connections. */
  stopSteps?: ShutdownStep[];
  /** Runs just before the connections close (e.g. destroying HTTP agents). */
  release?: () => void;
}

/**
 * The ops server and shutdown order every consumer service shares: ready while its consumer is in its
 * group and the registry and the store answer; on SIGTERM, stop consuming (finishing and committing the batch in flight),
 * then the extra steps, then close the connections and the ops server.
 */
export async function serveConsumer(
  options: ConsumerServiceOptions,
): Promise<{ ops: OpsServer; shutdownSteps: ShutdownStep[] }> {
  const { context, consumer } = options;
  const lag = registerLagMetrics(context.metrics, context.kafka, context.logger, options.group);
  const ops = await startOpsServer({
    service: context.service,
    host: options.host,
    port: options.port,
    metrics: context.metrics,
    readiness: {
      kafka: () => {
        if (!consumer.isJoined()) throw new Error('consumer has not joined its group');
      },
      registry: registryReachable(context.endpoints.schemaRegistryUrl),
      ...options.readiness,
      store: storeReachable(context.db),
    },
  });
  return {
    ops,
    shutdownSteps: [
      { name: `stop consuming (finishes ${options.inFlight}, commits)`, run: () => consumer.stop() },
      ...(options.stopSteps ?? []),
      {
        name: 'close connections',
        run: async () => {
          options.release?.();
          await lag.close();
          await context.close();
        },
      },
      { name: 'close ops server', run: () => ops.close() },
    ],
  };
}
