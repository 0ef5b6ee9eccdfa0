import type { DeliveryTask } from '@wms-webhooks/contracts';
import type { Webhook } from '@wms-webhooks/webhooks';
import type { AttemptLog } from './attempt-log';
import { forEachConcurrently } from './concurrency';
import { buildDeliveryRequest } from './delivery-request';
import type { AttemptOutcome, DeliveryClient } from './http-client';

export interface DeliveryDeps {
  client: DeliveryClient;
  /** The sender's cache of definitions: where credentials and the current URL come from. */
  webhookById: (id: string) => Webhook | undefined;
  writeLogs: (logs: AttemptLog[]) => Promise<void>;
  now: () => number;
  concurrency: number;
  onAttempt?: (task: DeliveryTask, outcome: AttemptOutcome, log: AttemptLog) => void;
}

function skipped(
  task: DeliveryTask,
  startedAt: number,
  reason: 'webhook-deleted' | 'webhook-disabled',
): AttemptLog {
  return {
    ...identity(task),
    startedAt: new Date(startedAt),
    durationMs: 0,
    outcome: 'failed',
    statusCode: null,
    errorKind: reason,
    error:
      reason === 'webhook-deleted'
        ? 'the webhook was deleted; not sent'
        : 'the webhook is disabled; not sent',
    final: true,
    url: null,
  };
}

function identity(task: DeliveryTask) {
  return {
    deliveryId: task.deliveryId,
    webhookId: task.webhookId,
    eventId: task.eventId,
    eventType: task.eventType,
    goodsOwnerId: task.goodsOwnerId,
    attempt: task.attempt,
    test: task.test,
  };
}

async function attempt(deps: DeliveryDeps, task: DeliveryTask): Promise<AttemptLog> {
  const startedAt = deps.now();
  const webhook = deps.webhookById(task.webhookId);
  if (!webhook) return skipped(task, startedAt, 'webhook-deleted');
  // Test deliveries go out even while a webhook is disabled: that is when operators try one.
  if (!webhook.enabled && !task.test) return skipped(task, startedAt, 'webhook-disabled');
  const request = buildDeliveryRequest(task, webhook, startedAt);
  const outcome = await deps.client.send(request, webhook.timeoutMs);
  const log: AttemptLog = {
    ...identity(task),
    startedAt: new Date(startedAt),
    durationMs: outcome.durationMs,
    outcome: outcome.outcome,
    statusCode: outcome.statusCode,
    errorKind: outcome.outcome === 'failed' ? outcome.kind : null,
    error: outcome.outcome === 'failed' ? outcome.error : null,
    final: true,
    url: webhook.url,
  };
  deps.onAttempt?.(task, outcome, log);
  return log;
}

/**
 * Sends a batch of tasks. Tasks of one webhook go one after another, in order; different webhooks go
 * in parallel up to `concurrency`, so a slow receiver holds up only its own deliveries. Resolves once
 * every attempt is logged, which is when the caller may commit.
 */
export async function processDeliveries(
  deps: DeliveryDeps,
  tasks: readonly DeliveryTask[],
): Promise<AttemptLog[]> {
  const byWebhook = new Map<string, DeliveryTask[]>();
  for (const task of tasks) {
    const queue = byWebhook.get(task.webhookId) ?? [];
    queue.push(task);
    byWebhook.set(task.webhookId, queue);
  }
  const logs: AttemptLog[] = [];
  await forEachConcurrently([...byWebhook.values()], deps.concurrency, async (queue) => {
    for (const task of queue) logs.push(await attempt(deps, task));
  });
  await deps.writeLogs(logs);
  return logs;
}
