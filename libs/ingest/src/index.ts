export { checkPayloadLimit } from './payload-limit';
export { type IngestDeps, type IngestResult, processWmsRecords } from './process-records';
export { type IngestLimits, validateWmsEvent } from './validate-event';
