export {
  type ActivityPoint,
  foldClosedHours,
  readActivityHistory,
  removeOldHours,
  type Window as ActivityWindow,
  windows as activityWindows,
} from './activity-history';
export {
  type AttemptDetail,
  type AttemptLog,
  InvalidCursorError,
  type LogItem,
  toStored,
} from './attempt-documents';
export type { AttemptExchange } from './attempt-exchange';
export { AttemptLogRepository, type LogStats } from './attempt-log';
export { createAttemptLogWriter, logMergeEnv } from './attempt-log-writer';
export { deliveryIdFor, testDeliveryId } from './delivery-id';
export { deliveryLane } from './delivery-lane';
export { buildDeliveryRequest } from './delivery-request';
export { retryTopic } from './delivery-wiring';
export { startDeliveryWorker } from './delivery-worker';
export { createDeliveryClient } from './http-client';
export { hasLegacyLog, importLegacyLog } from './legacy-log';
export { attemptLogEnv, retentionMsOf } from './log-buckets';
export { keepLogRetention } from './log-retention';
export { resendTask, testTask } from './manual-tasks';
export { matchBatch } from './match-batch';
export { planDeliveries } from './plan-deliveries';
export type { MergeResult } from './recent-attempts';
export { type ReplayOutcomes, readReplayOutcomes } from './replay-outcomes';
export { type ClaimTarget, ResendClaims } from './resend-claims';
export { retryTiers } from './retry-schedule';
export { manualResendOrigin } from './settle-attempt';
export { signDelivery } from './signature';
export {
  ActivityRecorder,
  type HourOfActivity,
  readActivity,
  removeSilentWriters,
  type WebhookActivity,
} from './webhook-activity';
export { pacingEnv } from './webhook-pacer';
