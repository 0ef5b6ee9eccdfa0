export { startDigestFlushes } from './digest-flushes';
export { composeFailureEmail, type FailureEmail, type WebhookContact } from './failure-email';
export { type FailureNotice, noticeFromDeadLetter } from './failure-notice';
export { type NoticeState, NoticeStore } from './notice-store';
export { flushDueNotices, type NotifierDeps, recordDeadLetters } from './notify';
