import type { AttemptRecord, DeliveryTask } from '@wms-webhooks/contracts';
import type { Webhook } from '@wms-webhooks/webhooks';
import type { AttemptLog } from './attempt-documents';
import { type AttemptExchange, requestExcerpt } from './attempt-exchange';
import type { DeliveryRequest } from './delivery-request';
import type { AttemptOutcome } from './http-client';
import { decideRetry, type RetryTier } from './retry-schedule';

export type Settlement =
  | { kind: 'delivered'; log: AttemptLog }
  | { kind: 'stopped'; log: AttemptLog }
  | { kind: 'quarantined'; log: AttemptLog; task: DeliveryTask; reason: string }
  | { kind: 'retry'; log: AttemptLog; tier: RetryTier; next: DeliveryTask }
  | {
      kind: 'dead';
      log: AttemptLog;
      dead: DeliveryTask;
      /** Why its webhook is to be disabled as well: the receiver said the endpoint is gone for good. */
      disableWebhook?: string;
    };

/** Standard Webhooks: a receiver answers 410 Gone to say it wants no more deliveries at this URL. */
const goneReason = 'the receiver answered 410 Gone';

function baseLog(
  task: DeliveryTask,
): Omit<
  AttemptLog,
  | 'startedAt'
  | 'durationMs'
  | 'outcome'
  | 'statusCode'
  | 'errorKind'
  | 'error'
  | 'final'
  | 'nextAttemptAt'
  | 'url'
> {
  return {
    deliveryId: task.deliveryId,
    webhookId: task.webhookId,
    eventId: task.eventId,
    eventType: task.eventType,
    goodsOwnerId: task.goodsOwnerId,
    attempt: task.attempt,
    dueAt: task.dueAt === null ? null : new Date(task.dueAt),
    test: task.test,
    // A record written before replays existed decodes without the field.
    ...(task.replayId ? { replayId: task.replayId } : {}),
  };
}

function resendableEvent(task: DeliveryTask) {
  return {
    occurredAt: new Date(task.occurredAt),
    warehouseId: task.warehouseId,
    entityId: task.entityId,
    payload: task.payload,
  };
}

/** Test and resend are an operator's single tries: shown at once, never retried or dead-lettered. */
export function isManualTry(task: DeliveryTask): boolean {
  return task.test || task.origin === manualResendOrigin;
}

/**
 * Whether an operator is waiting to see this attempt, told from its log, which does not keep the task's
 * origin: a test, or a Resend an operator pressed, the only attempt after the first that neither a retry's
 * schedule (`dueAt`) nor a replay made. A replay's resends are manual tries too, but many, and unwatched.
 */
export function awaitedByOperator(log: Pick<AttemptLog, 'test' | 'attempt' | 'dueAt' | 'replayId'>): boolean {
  return log.test || (log.attempt > 1 && log.dueAt === null && log.replayId === undefined);
}

export const manualResendOrigin = 'api-resend';

function notSentLog(
  task: DeliveryTask,
  startedAt: number,
  errorKind: AttemptLog['errorKind'],
  error: string,
): AttemptLog {
  return {
    ...baseLog(task),
    startedAt: new Date(startedAt),
    durationMs: 0,
    outcome: 'failed',
    statusCode: null,
    errorKind,
    error,
    final: true,
    nextAttemptAt: null,
    url: null,
    event: resendableEvent(task),
  };
}

/** Its webhook's secrets do not open: nothing can be signed, so the task is filed until the key is back. */
function unsendable(task: DeliveryTask, startedAt: number, reason: string): Settlement {
  const log = notSentLog(task, startedAt, 'cannot-decrypt', `not sent: ${reason}`);
  return isManualTry(task) ? { kind: 'stopped', log } : { kind: 'quarantined', log, task, reason };
}

function stoppedBy(
  task: DeliveryTask,
  startedAt: number,
  reason: 'webhook-deleted' | 'webhook-disabled',
): Settlement {
  const error =
    reason === 'webhook-deleted'
      ? 'the webhook was deleted; delivery stopped'
      : 'the webhook is disabled; delivery stopped';
  return { kind: 'stopped', log: notSentLog(task, startedAt, reason, error) };
}

/**
 * Whether a task may be sent to its webhook as it stands, or is settled without a request: the webhook is
 * gone or disabled (a test still goes out while disabled: that is when operators try one), or its secrets
 * do not open.
 */
export function readyToSend(
  task: DeliveryTask,
  webhook: Webhook | undefined,
  startedAt: number,
): { webhook: Webhook } | { refused: Settlement } {
  if (!webhook) return { refused: stoppedBy(task, startedAt, 'webhook-deleted') };
  if (!webhook.enabled && !task.test) return { refused: stoppedBy(task, startedAt, 'webhook-disabled') };
  if (webhook.unreadableSecrets) return { refused: unsendable(task, startedAt, webhook.unreadableSecrets) };
  return { webhook };
}

export interface SentAttempt {
  task: DeliveryTask;
  webhook: Webhook;
  outcome: AttemptOutcome;
  /** The request as it went out; none when it was not sent (an open circuit). */
  request?: DeliveryRequest;
  startedAt: number;
  /** When the outcome was known: a retry is due relative to it. */
  settledAt: number;
  timeScale: number;
  /** The step that produces the next task: sender, retrier-5m, … */
  origin: string;
}

/**
 * What a failed attempt sent and got back, for the Logs: not for a success (the log stays small where
 * most attempts are), nor for a request that never left (its error says why).
 */
function exchangeOf(
  outcome: AttemptOutcome,
  request: DeliveryRequest | undefined,
): AttemptExchange | undefined {
  if (!request || outcome.outcome === 'succeeded') return undefined;
  if (outcome.kind === 'circuit-open' || outcome.kind === 'target-refused') return undefined;
  return { request: requestExcerpt(request), response: outcome.response ?? null };
}

/**
 * What follows from one sent attempt, with no side effect: its log entry and whether the delivery is
 * done, stopped (an operator's single try), retried on a tier, or dead.
 */
export function settleAttempt({
  task,
  webhook,
  outcome,
  request,
  startedAt,
  settledAt,
  timeScale,
  origin,
}: SentAttempt): Settlement {
  const exchange = exchangeOf(outcome, request);
  const log: AttemptLog = {
    ...baseLog(task),
    startedAt: new Date(startedAt),
    durationMs: outcome.durationMs,
    outcome: outcome.outcome,
    statusCode: outcome.statusCode,
    errorKind: outcome.outcome === 'failed' ? outcome.kind : null,
    error: outcome.outcome === 'failed' ? outcome.error : null,
    final: true,
    nextAttemptAt: null,
    url: webhook.url,
    ...(exchange ? { exchange } : {}),
  };
  if (outcome.outcome === 'succeeded') return { kind: 'delivered', log };
  if (task.test) return { kind: 'stopped', log };
  if (isManualTry(task)) return { kind: 'stopped', log: { ...log, event: resendableEvent(task) } };

  const record: AttemptRecord = {
    attempt: task.attempt,
    startedAt,
    durationMs: outcome.durationMs,
    outcome: 'failed',
    statusCode: outcome.statusCode,
    error: outcome.error,
  };
  const firstAttemptAt = task.firstAttemptAt ?? startedAt;
  const history = [...task.history, record];
  const gone = outcome.kind === 'status' && outcome.statusCode === 410;
  // A refused target is a setting to fix, and a gone endpoint wants no more: retrying cannot help either.
  const decision: ReturnType<typeof decideRetry> = gone
    ? { retry: false, reason: `${goneReason}, so the webhook was disabled` }
    : outcome.kind === 'target-refused'
      ? { retry: false, reason: 'the target address is not allowed' }
      : decideRetry({
          policy: webhook.retryPolicy,
          failedAttempt: task.attempt,
          firstAttemptAt,
          failedAt: settledAt,
          timeScale,
          retryAfterMs: outcome.retryAfterMs,
        });
  if (decision.retry) {
    return {
      kind: 'retry',
      tier: decision.tier,
      log: { ...log, final: false, nextAttemptAt: new Date(decision.dueAt) },
      next: { ...task, attempt: task.attempt + 1, firstAttemptAt, dueAt: decision.dueAt, origin, history },
    };
  }
  return {
    kind: 'dead',
    log: { ...log, event: resendableEvent(task) },
    dead: {
      ...task,
      firstAttemptAt,
      dueAt: null,
      origin,
      history,
      finalReason: `${decision.reason}; last error: ${outcome.error}`,
    },
    ...(gone ? { disableWebhook: goneReason } : {}),
  };
}
