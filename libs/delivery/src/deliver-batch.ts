import type { AttemptRecord, DeliveryTask } from '@wms-webhooks/contracts';
import type { Webhook } from '@wms-webhooks/webhooks';
import type { AttemptLog } from './attempt-log';
import { type CircuitBreaker, endpointOf } from './circuit-breaker';
import type { KeyedQueue } from './concurrency';
import { buildDeliveryRequest } from './delivery-request';
import type { AttemptOutcome, DeliveryClient } from './http-client';
import { decideRetry, type RetryTier } from './retry-schedule';

export interface AttemptDeps {
  client: DeliveryClient;
  /** The current definition: credentials, URL and enabled state come from here, never from the task. */
  webhookById: (id: string) => Webhook | undefined | Promise<Webhook | undefined>;
  now: () => number;
  /** Shared by every batch of the process: one webhook's deliveries go one at a time, across batches. */
  queue: KeyedQueue;
  timeScale: number;
  /** Names this step on the records it produces: sender, retrier-5m, … */
  origin: string;
  /** Each resolves once its records are durable; logs are written after both. */
  enqueueRetries: (tasks: Array<{ tier: RetryTier; task: DeliveryTask }>) => Promise<void>;
  deadLetter: (tasks: DeliveryTask[]) => Promise<void>;
  /**
   * Files tasks that can never be sent as they are (their webhook's secrets do not open) with the reason;
   * resolves once durable. An operator re-injects them once the cause is fixed.
   */
  quarantine: (items: Array<{ task: DeliveryTask; reason: string }>) => Promise<void>;
  onAttempt?: (task: DeliveryTask, outcome: AttemptOutcome, log: AttemptLog) => void;
  /** The sender's: while an endpoint's circuit is open, its deliveries go to the retry path unsent. */
  breaker?: CircuitBreaker;
}

export interface DeliveryDeps extends AttemptDeps {
  writeLogs: (logs: AttemptLog[]) => Promise<void>;
}

/** The endpoint is alive if it answered at all, unless the answer was 5xx or 429. */
function endpointHealthy(outcome: AttemptOutcome): boolean {
  if (outcome.outcome === 'succeeded') return true;
  return (
    outcome.kind === 'status' &&
    outcome.statusCode !== null &&
    outcome.statusCode < 500 &&
    outcome.statusCode !== 429
  );
}

async function send(
  deps: AttemptDeps,
  task: DeliveryTask,
  webhook: Webhook,
  startedAt: number,
): Promise<AttemptOutcome> {
  // A test shows the real result, and a none-policy delivery has only this one chance: both bypass it.
  const breaker = isManualTry(task) || webhook.retryPolicy === 'none' ? undefined : deps.breaker;
  const endpoint = endpointOf(webhook.url);
  if (breaker && !breaker.allow(endpoint)) {
    return {
      outcome: 'failed',
      kind: 'circuit-open',
      statusCode: null,
      error: 'not sent: the circuit for this endpoint is open after repeated failures',
      durationMs: 0,
    };
  }
  const outcome = await deps.client.send(buildDeliveryRequest(task, webhook, startedAt), webhook.timeoutMs);
  if (outcome.outcome === 'failed' && outcome.kind === 'target-refused') return outcome;
  breaker?.record(endpoint, endpointHealthy(outcome));
  return outcome;
}

export type Settlement =
  | { kind: 'delivered'; log: AttemptLog }
  | { kind: 'stopped'; log: AttemptLog }
  | { kind: 'quarantined'; log: AttemptLog; task: DeliveryTask; reason: string }
  | { kind: 'retry'; log: AttemptLog; tier: RetryTier; next: DeliveryTask }
  | { kind: 'dead'; log: AttemptLog; dead: DeliveryTask };

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
function isManualTry(task: DeliveryTask): boolean {
  return task.test || task.origin === manualResendOrigin;
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

function stopped(
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

/** One attempt of one task, and what follows from it: done, a retry on a tier, or a dead letter. */
export async function attemptDelivery(deps: AttemptDeps, task: DeliveryTask): Promise<Settlement> {
  const startedAt = deps.now();
  const webhook = await deps.webhookById(task.webhookId);
  if (!webhook) return stopped(task, startedAt, 'webhook-deleted');
  // Test deliveries go out even while a webhook is disabled: that is when operators try one.
  if (!webhook.enabled && !task.test) return stopped(task, startedAt, 'webhook-disabled');
  if (webhook.unreadableSecrets) return unsendable(task, startedAt, webhook.unreadableSecrets);

  const outcome = await send(deps, task, webhook, startedAt);
  const failedAt = deps.now();
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
  };
  deps.onAttempt?.(task, outcome, log);
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
  // A refused target is a setting to fix, not a hiccup: retrying cannot help, so it goes straight to dead letters.
  const decision: ReturnType<typeof decideRetry> =
    outcome.kind === 'target-refused'
      ? { retry: false, reason: 'the target address is not allowed' }
      : decideRetry({
          policy: webhook.retryPolicy,
          failedAttempt: task.attempt,
          firstAttemptAt,
          failedAt,
          timeScale: deps.timeScale,
          retryAfterMs: outcome.retryAfterMs,
        });
  if (decision.retry) {
    return {
      kind: 'retry',
      tier: decision.tier,
      log: { ...log, final: false, nextAttemptAt: new Date(decision.dueAt) },
      next: {
        ...task,
        attempt: task.attempt + 1,
        firstAttemptAt,
        dueAt: decision.dueAt,
        origin: deps.origin,
        history,
      },
    };
  }
  return {
    kind: 'dead',
    log: { ...log, event: resendableEvent(task) },
    dead: {
      ...task,
      firstAttemptAt,
      dueAt: null,
      origin: deps.origin,
      history,
      finalReason: `${decision.reason}; last error: ${outcome.error}`,
    },
  };
}

/**
 * Attempts every task of a batch. Tasks of one webhook go one after another, in order, and after the same
 * webhook's tasks from earlier batches; different webhooks go in parallel, so a slow receiver holds up
 * only its own deliveries.
 */
async function attemptAll(deps: AttemptDeps, tasks: readonly DeliveryTask[]): Promise<Settlement[]> {
  const attempts = await Promise.allSettled(
    tasks.map((task) => deps.queue.run(task.webhookId, () => attemptDelivery(deps, task))),
  );
  // Only once every task has settled: a batch started again must not overtake its own first try.
  const failure = attempts.find((attempt) => attempt.status === 'rejected');
  if (failure) throw failure.reason;
  return attempts.map((attempt) => (attempt as PromiseFulfilledResult<Settlement>).value);
}

/** Produces what follows from the attempts: retries on their tiers, dead letters. */
async function routeSettlements(deps: AttemptDeps, settlements: readonly Settlement[]): Promise<void> {
  const retries = settlements.flatMap((settled) =>
    settled.kind === 'retry' ? [{ tier: settled.tier, task: settled.next }] : [],
  );
  const dead = settlements.flatMap((settled) => (settled.kind === 'dead' ? [settled.dead] : []));
  const quarantined = settlements.flatMap((settled) =>
    settled.kind === 'quarantined' ? [{ task: settled.task, reason: settled.reason }] : [],
  );
  await Promise.all([
    retries.length > 0 ? deps.enqueueRetries(retries) : undefined,
    dead.length > 0 ? deps.deadLetter(dead) : undefined,
    quarantined.length > 0 ? deps.quarantine(quarantined) : undefined,
  ]);
}

export interface StagedDelivery {
  /** Resolves once all that follows from the batch is durable, its attempt logs included. */
  finish: () => Promise<Settlement[]>;
}

/**
 * Starts a batch's attempts at once, queued behind earlier batches' deliveries to the same webhooks, and
 * returns the step that waits for them, produces their retries and dead letters, and logs them. When
 * `finish` fails and is called again, it resumes at the step that failed: a failed produce or log write
 * is retried on its own, with no second send. Only an attempt that failed outright (its webhook could not
 * be read) attempts the batch again.
 */
export function stageDelivery(deps: DeliveryDeps, tasks: readonly DeliveryTask[]): StagedDelivery {
  const attempt = () => {
    const attempted = attemptAll(deps, tasks);
    // Awaited in finish; until then a failure must not surface as unhandled.
    attempted.catch(() => undefined);
    return attempted;
  };
  let attempted = attempt();
  let routed = false;
  return {
    finish: async () => {
      let settlements: Settlement[];
      try {
        settlements = await attempted;
      } catch (error) {
        attempted = attempt();
        throw error;
      }
      if (!routed) {
        await routeSettlements(deps, settlements);
        routed = true;
      }
      await deps.writeLogs(settlements.map((settled) => settled.log));
      return settlements;
    },
  };
}

/** Every task attempted, its retries and dead letters produced, and logged: all of it durable on resolve. */
export function deliverBatch(deps: DeliveryDeps, tasks: readonly DeliveryTask[]): Promise<Settlement[]> {
  return stageDelivery(deps, tasks).finish();
}
