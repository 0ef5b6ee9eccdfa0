import type { DeliveryTask, TopicNames } from '@wms-webhooks/contracts';
import { InvalidInputError } from '@wms-webhooks/errors';
import {
  type AvroSerde,
  AvroTopicProducer,
  type AvroTopicProducerOptions,
  type DurableProducer,
  type OutgoingRecord,
} from '@wms-webhooks/kafka';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createKeyedQueue, type KeyedQueue } from './concurrency';
import type { DeliveryDeps } from './deliver-batch';
import type { AttemptOutcome } from './http-client';
import type { MergeResult } from './recent-attempts';
import { type RetryTier, retryTiers } from './retry-schedule';
import { manualResendOrigin } from './settle-attempt';
import { WebhookPacer } from './webhook-pacer';

/** The process's delivery queue, with a gauge of what it holds: a backlog behind slow webhooks shows here. */
export function createDeliveryQueue(metrics: Registry, limit: number): KeyedQueue {
  const queue = createKeyedQueue(limit);
  new Gauge({
    name: 'wms_webhooks_delivery_queued',
    help: 'Deliveries handed to the sender or retrier and not yet answered: in flight, or waiting for their webhook or a free slot.',
    registers: [metrics],
    collect() {
      this.set(queue.pending);
    },
  });
  return queue;
}

/** The process's pacer, with what it holds back shown: time waited, and webhooks their receivers slowed. */
export function createPacer(metrics: Registry, maxRetryAfterWaitMs: number): WebhookPacer {
  const waited = new Counter({
    name: 'wms_webhooks_delivery_paced_seconds_total',
    help: "Time deliveries waited before sending: for their webhook's maxPerSecond (limit) or its receiver's Retry-After (retry-after).",
    labelNames: ['reason'],
    registers: [metrics],
  });
  const pacer = new WebhookPacer({
    now: Date.now,
    sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
    maxRetryAfterWaitMs,
    onWait: (ms, reason) => waited.inc({ reason }, ms / 1000),
  });
  new Gauge({
    name: 'wms_webhooks_webhooks_slowed',
    help: 'Webhooks whose receivers asked to slow down (429 or 503 with Retry-After) and have not yet recovered.',
    registers: [metrics],
    collect() {
      this.set(pacer.slowedCount());
    },
  });
  return pacer;
}

/**
 * How the writer's merges of newest rows go. A number taken means another writer (the sender or a retry
 * tier) merged the webhook first, and this one read and merged again: twice the store's work for it.
 */
export function createMergeCounter(metrics: Registry): (result: MergeResult) => void {
  const merges = new Counter({
    name: 'wms_webhooks_log_merges_total',
    help: "Merges of webhooks' newest Logs rows, by result: inserted, or taken (another writer inserted that version first, and this one merged again on top of it).",
    labelNames: ['result'],
    registers: [metrics],
  });
  return (result) => merges.inc({ result });
}

export function retryTopic(topics: TopicNames, tier: RetryTier): string {
  return topics[`retry${tier}`];
}

/** Where tasks that cannot go on are filed: the service's quarantine. */
export interface TaskFiling {
  oversize: NonNullable<AvroTopicProducerOptions['divertOversize']>;
  unprocessable: (topic: string, records: OutgoingRecord[], error: InvalidInputError) => Promise<void>;
}

/**
 * Where tasks go next: the tier topic of their next attempt, dead letters, or the quarantine, re-injectable
 * to `sourceTopic` (the topic the service consumes). Keyed by webhook. A task grown too large for its
 * topic is quarantined too.
 */
export function createDeliveryRoutes(
  producer: DurableProducer,
  serde: AvroSerde,
  topics: TopicNames,
  filing: TaskFiling & { sourceTopic: string },
): Pick<DeliveryDeps, 'enqueueRetries' | 'deadLetter' | 'quarantine'> {
  const divertOversize = filing.oversize;
  const tierProducers = new Map(
    retryTiers.map((tier) => [
      tier,
      new AvroTopicProducer<DeliveryTask>(producer, serde, retryTopic(topics, tier), { divertOversize }),
    ]),
  );
  const dead = new AvroTopicProducer<DeliveryTask>(producer, serde, topics.dead, { divertOversize });
  return {
    enqueueRetries: async (items) => {
      const byTier = new Map<RetryTier, DeliveryTask[]>();
      for (const { tier, task } of items) byTier.set(tier, [...(byTier.get(tier) ?? []), task]);
      await Promise.all(
        [...byTier].map(([tier, tasks]) =>
          tierProducers.get(tier)?.send(tasks.map((task) => ({ key: task.webhookId, value: task }))),
        ),
      );
    },
    deadLetter: async (tasks) => {
      await dead.send(tasks.map((task) => ({ key: task.webhookId, value: task })));
    },
    quarantine: async (items) => {
      const byReason = new Map<string, DeliveryTask[]>();
      for (const { task, reason } of items) byReason.set(reason, [...(byReason.get(reason) ?? []), task]);
      for (const [reason, tasks] of byReason) {
        const records = await Promise.all(
          tasks.map(async (task) => ({
            key: task.webhookId,
            value: await serde.encode(filing.sourceTopic, task),
          })),
        );
        await filing.unprocessable(
          filing.sourceTopic,
          records,
          new InvalidInputError('cannot-decrypt', reason),
        );
      }
    },
  };
}

function statusClass(outcome: AttemptOutcome): string {
  if (outcome.statusCode !== null) return `${Math.floor(outcome.statusCode / 100)}xx`;
  return outcome.outcome === 'failed' ? outcome.kind : 'unknown';
}

/** The delivery metrics sender and retriers share; labels stay low-cardinality (no URL or webhook; owner only on opt-in). */
/** A replay or a Resend: an old event sent again on an operator's demand. */
function sentAgain(task: DeliveryTask): boolean {
  return Boolean(task.replayId) || task.origin === manualResendOrigin;
}

export function createDeliveryMetrics(registry: Registry, options: { perGoodsOwner?: boolean } = {}) {
  const attempts = new Counter({
    name: 'wms_webhooks_delivery_attempts_total',
    help: 'Delivery attempts by outcome and status class (2xx..5xx, timeout, connect, dns, tls, network, circuit-open).',
    labelNames: options.perGoodsOwner
      ? ['outcome', 'status_class', 'goods_owner']
      : ['outcome', 'status_class'],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'wms_webhooks_delivery_http_duration_seconds',
    help: 'Time from sending the request to its answer or failure.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const endToEnd = new Histogram({
    name: 'wms_webhooks_delivery_end_to_end_seconds',
    help: 'From the event occurring to its successful delivery.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 21600, 86400],
    registers: [registry],
  });
  const replayAttempts = new Counter({
    name: 'wms_webhooks_replay_attempts_total',
    help: 'Attempts of deliveries a replay sent, by outcome; they count in wms_webhooks_delivery_attempts_total too.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'wms_webhooks_dead_letters_total',
    help: 'Deliveries that failed finally and went to webhooks.dead.',
    registers: [registry],
  });
  const circuitTransitions = new Counter({
    name: 'wms_webhooks_circuit_transitions_total',
    help: 'Circuit-breaker state changes, by the state entered (open, half-open, closed).',
    labelNames: ['to'],
    registers: [registry],
  });
  return {
    deadLetters,
    circuitTransitions,
    onAttempt: (task: DeliveryTask, outcome: AttemptOutcome) => {
      attempts.inc({
        outcome: outcome.outcome,
        status_class: statusClass(outcome),
        ...(options.perGoodsOwner ? { goods_owner: String(task.goodsOwnerId) } : {}),
      });
      httpDuration.observe(outcome.durationMs / 1000);
      if (task.replayId) replayAttempts.inc({ outcome: outcome.outcome });
      // An event sent again on demand, days later maybe, says nothing of how fast the pipeline delivers.
      if (outcome.outcome === 'succeeded' && !sentAgain(task))
        endToEnd.observe((Date.now() - task.occurredAt) / 1000);
    },
  };
}
