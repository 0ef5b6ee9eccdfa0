export {
  type AttemptLog,
  AttemptLogRepository,
  InvalidCursorError,
  type LogItem,
  type LogPage,
  type LogStats,
  type ResendableEvent,
} from './attempt-log';
export { createAttemptLogWriter } from './attempt-log-writer';
export { type BreakerOptions, type BreakerState, CircuitBreaker, endpointOf } from './circuit-breaker';
export type { KeyedQueue } from './concurrency';
export { deliveryIdFor, testDeliveryId } from './delivery-id';
export {
  activeSigningSecrets,
  buildDeliveryRequest,
  type DeliveryRequest,
  deliveryBody,
} from './delivery-request';
export {
  createDeliveryMetrics,
  createDeliveryQueue,
  createDeliveryRoutes,
  retryTopic,
} from './delivery-wiring';
export { type DeliveryWorkerOptions, startDeliveryWorker } from './delivery-worker';
export {
  type AttemptOutcome,
  classifyFailure,
  createDeliveryClient,
  type DeliveryClient,
  type FailureKind,
  parseRetryAfter,
} from './http-client';
export { hasLegacyLog, importLegacyLog } from './legacy-log';
export { attemptLogEnv, retentionMsOf } from './log-buckets';
export { keepLogRetention } from './log-retention';
export { type MatchBatchDeps, matchBatch } from './match-batch';
export { ResendClaims } from './resend-claims';
export {
  decideRetry,
  oneDayWindowMs,
  type RetryDecision,
  type RetryTier,
  retryTiers,
  tierDelayMs,
  tierFetchWaitMs,
} from './retry-schedule';
export { manualResendOrigin } from './settle-attempt';
export { signDelivery } from './signature';
export {
  ActivityRecorder,
  type HourOfActivity,
  readActivity,
  removeSilentWriters,
  type WebhookActivity,
} from './webhook-activity';
