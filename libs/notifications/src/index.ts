export { startDigestFlushes } from './digest-flushes';
export { NoticeStore } from './notice-store';
export {
  checkFailingWebhooks,
  flushDueNotices,
  flushRecoveries,
  type NotifierDeps,
  recordDeadLetters,
} from './notify';
