export {
  allReady,
  type BatchContext,
  type PreparedBatch,
  type RunningConsumer,
  type StagedBatch,
} from '@wms-webhooks/kafka';
export { type ConsumeOptions, consume } from './consume';
export { type ConsumerServiceOptions, serveConsumer } from './consumer-service';
export { decodedRecords, dueRecords } from './due-records';
export { registerLagMetrics } from './lag-metrics';
export { createLogger, type Logger } from './logger';
export { createMetricsRegistry, metricPrefix } from './metrics';
export { answerOps, type OpsServer, opsPaths, type ReadinessCheck, startOpsServer } from './ops-server';
export { createQuarantine, type Quarantine } from './quarantine';
export { registryReachable, storeReachable } from './readiness-checks';
export { runService, type StartedService } from './run-service';
export { type ContextConfig, createServiceContext, type ServiceContext } from './service-context';
export { listenPort, opsPort, serviceEnv, targetPolicyOf } from './service-env';
export { handleShutdown, type ShutdownStep } from './shutdown';
export { createStoreMetrics } from './store-metrics';
