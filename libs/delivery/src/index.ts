export { type AttemptLog, AttemptLogRepository, InvalidCursorError, type LogPage } from './attempt-log';
export { forEachConcurrently } from './concurrency';
export { deliveryIdFor, testDeliveryId } from './delivery-id';
export { buildDeliveryRequest, type DeliveryRequest, deliveryBody } from './delivery-request';
export {
  type AttemptOutcome,
  classifyFailure,
  createDeliveryClient,
  type DeliveryClient,
  type FailureKind,
} from './http-client';
export { planDeliveries } from './plan-deliveries';
export { type DeliveryDeps, processDeliveries } from './process-deliveries';
export { signDelivery } from './signature';
