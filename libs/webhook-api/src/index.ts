export { buildApi } from './build-api';
export type { Quotas } from './quotas';
