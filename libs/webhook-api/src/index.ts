export type { ApiDeps } from './api-deps';
export { buildApi } from './build-api';
export { testTask } from './test-task';
