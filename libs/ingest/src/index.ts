export { checkPayloadLimit } from './payload-limit';
export { processWmsRecords } from './process-records';
