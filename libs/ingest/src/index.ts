export { checkPayloadLimit, payloadLimitEnv } from './payload-limit';
export { processWmsRecords } from './process-records';
export { type IngestLimits, validateWmsEvent } from './validate-event';
