export type { ApiDeps, RefusalReason } from './api-deps';
export { buildApi } from './build-api';
export { resendTask, testTask } from './manual-tasks';
export type { Quotas } from './quotas';
export type { ApiLimits } from './request-limits';
