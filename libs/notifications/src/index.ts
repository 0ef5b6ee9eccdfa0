export { startDigestFlushes } from './digest-flushes';
export { NoticeStore } from './notice-store';
export { flushDueNotices, type NotifierDeps, recordDeadLetters } from './notify';
