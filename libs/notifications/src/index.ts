export { startDigestFlushes } from './digest-flushes';
export { NoticeStore } from './notice-store';
export {
  flushDueNotices,
  followUpWebhooks,
  type NotifierDeps,
  recordDeadLetters,
} from './notify';
