import { rm } from 'node:fs/promises';
import {
  loadStackLayout,
  nativeEndpoints,
  stackDown,
  stackUp,
  stopComponent,
} from '@wms-webhooks/local-stack';

/**
 * A three-node Kafka cluster (3 copies, 2 in sync) beside the stack, in the given folder, for what needs
 * replication; the registry and the store stay the stack's. Its first node listens on `port`
 * (FAULTS_CLUSTER_KAFKA_PORT, else 19092, by default) and the two others 1000 and 2000 above it.
 */
export async function startSideCluster(
  dir: string,
  log: (line: string) => void,
  port = Number(process.env.FAULTS_CLUSTER_KAFKA_PORT ?? 19092),
) {
  const layout = loadStackLayout({
    ...process.env,
    STACK_DIR: dir,
    STACK_KAFKA_NODES: '3',
    STACK_KAFKA_PORT: String(port),
    STACK_KAFKA_CONTROLLER_PORT: String(port + 1),
    STACK_KAFKA_SASL_PORT: String(port + 2),
    STACK_KAFKA_HEAP: '512m',
  });
  const nodes = layout.kafka.nodes.map((node) => node.name);
  const up = () => stackUp(layout, (line) => log(`[cluster] ${line}`), { only: nodes });
  await up();
  return {
    brokers: nativeEndpoints(layout).kafkaBrokers,
    /** SIGKILL of one node, as a crash: no controlled shutdown, no leadership handed over. */
    kill: (node: string) => stopComponent(layout, node, 'kill'),
    /** Starts whatever node is down and waits until the cluster takes writes through every node. */
    restart: up,
    async stop() {
      await stackDown(layout);
      await rm(layout.dataDir, { recursive: true, force: true });
    },
  };
}

export type SideCluster = Awaited<ReturnType<typeof startSideCluster>>;
