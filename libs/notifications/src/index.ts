export { startDigestFlushes } from './digest-flushes';
export { NoticeStore } from './notice-store';
export { flushDueNotices, flushRecoveries, type NotifierDeps, recordDeadLetters } from './notify';
