export {
  allReady,
  type BatchContext,
  type PreparedBatch,
  type RunningConsumer,
  type StagedBatch,
} from '@wms-webhooks/kafka';
export { consume } from './consume';
export { serveConsumer } from './consumer-service';
export { decodedRecords, dueRecords } from './due-records';
export { createLogger } from './logger';
export { createMetricsRegistry } from './metrics';
export { answerOps, opsPaths, startOpsServer } from './ops-server';
export { registryReachable, storeReachable } from './readiness-checks';
export { runService } from './run-service';
export { createServiceContext, type ServiceContext } from './service-context';
export { listenPort, opsPort, serviceEnv, targetPolicyOf } from './service-env';
export type { ShutdownStep } from './shutdown';
export { createStoreMetrics } from './store-metrics';
