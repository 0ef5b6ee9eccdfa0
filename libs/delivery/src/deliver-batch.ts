import type { DeliveryTask } from '@wms-webhooks/contracts';
import type { Webhook } from '@wms-webhooks/webhooks';
import type { AttemptLog } from './attempt-documents';
import { type CircuitBreaker, endpointOf } from './circuit-breaker';
import type { KeyedQueue } from './concurrency';
import { buildDeliveryRequest, type DeliveryRequest } from './delivery-request';
import { type AttemptOutcome, answeredHealthy, type DeliveryClient } from './http-client';
import type { RetryTier } from './retry-schedule';
import { isManualTry, readyToSend, type Settlement, settleAttempt } from './settle-attempt';
import type { WebhookPacer } from './webhook-pacer';

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
  /** Disables webhooks whose receiver asked for no more deliveries; resolves once saved and announced. */
  disableWebhooks: (items: Array<{ webhookId: string; reason: string }>) => Promise<void>;
  onAttempt?: (task: DeliveryTask, outcome: AttemptOutcome, log: AttemptLog) => void;
  /** The sender's: while an endpoint's circuit is open, its deliveries go to the retry path unsent. */
  breaker?: CircuitBreaker;
  /** The lane a task goes in, one at a time behind its earlier tasks (delivery-lane.ts); else its webhook. */
  laneOf?: (task: DeliveryTask) => string;
  /** Holds a webhook's new deliveries to its maxPerSecond and to its receiver's Retry-After. */
  pacer?: WebhookPacer;
}

export interface DeliveryDeps extends AttemptDeps {
  writeLogs: (logs: AttemptLog[]) => Promise<void>;
}

async function send(
  deps: AttemptDeps,
  task: DeliveryTask,
  webhook: Webhook,
  lane: string,
): Promise<{ outcome: AttemptOutcome; request?: DeliveryRequest; startedAt: number }> {
  // A test shows the real result, and a none-policy delivery has only this one chance: both bypass it.
  const breaker = isManualTry(task) || webhook.retryPolicy === 'none' ? undefined : deps.breaker;
  const endpoint = endpointOf(webhook.url);
  if (breaker && !breaker.allow(endpoint)) {
    const outcome: AttemptOutcome = {
      outcome: 'failed',
      kind: 'circuit-open',
      statusCode: null,
      error: 'not sent: the circuit for this endpoint is open after repeated failures',
      durationMs: 0,
    };
    return { outcome, startedAt: deps.now() };
  }
  // An operator's single try is not held back: it is how they check the endpoint. A replay sends many,
  // and keeps to the webhook's pace like live traffic.
  if (deps.pacer && (!isManualTry(task) || task.replayId)) await deps.pacer.pace(webhook, lane);
  const startedAt = deps.now();
  const request = buildDeliveryRequest(task, webhook, startedAt);
  const outcome = await deps.client.send(request, webhook.timeoutMs);
  deps.pacer?.record(webhook, outcome);
  if (!(outcome.outcome === 'failed' && outcome.kind === 'target-refused'))
    breaker?.record(endpoint, answeredHealthy(outcome));
  return { outcome, request, startedAt };
}

/** One attempt of one task, and what follows from it: done, a retry on a tier, or a dead letter. */
export async function attemptDelivery(
  deps: AttemptDeps,
  task: DeliveryTask,
  lane = task.webhookId,
): Promise<Settlement> {
  const ready = readyToSend(task, await deps.webhookById(task.webhookId), deps.now());
  if ('refused' in ready) return ready.refused;
  const { webhook } = ready;
  const { outcome, request, startedAt } = await send(deps, task, webhook, lane);
  const settled = settleAttempt({
    task,
    webhook,
    outcome,
    request,
    startedAt,
    settledAt: deps.now(),
    timeScale: deps.timeScale,
    origin: deps.origin,
  });
  deps.onAttempt?.(task, outcome, settled.log);
  return settled;
}

/**
 * Attempts every task of a batch. Tasks of one lane (a webhook, or one of its lanes when it allows more
 * than one delivery at a time) go one after another, in order, and after the same lane's tasks from
 * earlier batches; different lanes go in parallel, so a slow receiver holds up only its own deliveries.
 */
async function attemptAll(deps: AttemptDeps, tasks: readonly DeliveryTask[]): Promise<Settlement[]> {
  const attempts = await Promise.allSettled(
    tasks.map((task) => {
      const lane = deps.laneOf?.(task) ?? task.webhookId;
      return deps.queue.run(lane, () => attemptDelivery(deps, task, lane));
    }),
  );
  // Only once every task has settled: a batch started again must not overtake its own first try.
  const failure = attempts.find((attempt) => attempt.status === 'rejected');
  if (failure) throw failure.reason;
  return attempts.map((attempt) => (attempt as PromiseFulfilledResult<Settlement>).value);
}

/**
 * Produces what follows from the attempts: retries on their tiers, dead letters. A webhook to disable is
 * disabled first, so its dead letters are produced only once it is; disabling again is a no-op, so a
 * retried finish repeats nothing.
 */
async function routeSettlements(deps: AttemptDeps, settlements: readonly Settlement[]): Promise<void> {
  const disable = new Map<string, string>();
  for (const settled of settlements) {
    if (settled.kind === 'dead' && settled.disableWebhook)
      disable.set(settled.dead.webhookId, settled.disableWebhook);
  }
  if (disable.size > 0) {
    await deps.disableWebhooks([...disable].map(([webhookId, reason]) => ({ webhookId, reason })));
  }
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
