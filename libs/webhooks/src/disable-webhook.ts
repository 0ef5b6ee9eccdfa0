import type { TopicNames, WebhookChange } from '@wms-webhooks/contracts';
import type { AvroSerde, DurableProducer, LaneLogger } from '@wms-webhooks/kafka';
import type { Db } from 'mongodb';
import { Counter, type Registry } from 'prom-client';
import { WebhookChangePublisher } from './change-feed';

interface DisableDeps {
  db: Db;
  publish: (change: WebhookChange) => Promise<void>;
  now: () => number;
}

interface EnabledState {
  _id: string;
  enabled: boolean;
  version: number;
  disabledReason?: string | null;
}

/**
 * Disables a webhook on the system's behalf, saying why, and announces the change so every service
 * stops sending to it. It sets only the flag, the reason and the version, so it needs no key to the
 * stored secrets. False when there was nothing to do: the webhook is gone or already disabled. A change
 * made meanwhile by someone else is read again and disabled on top of it.
 */
async function disableWebhook(deps: DisableDeps, webhookId: string, reason: string): Promise<boolean> {
  const webhooks = deps.db.collection<EnabledState>('webhooks');
  for (;;) {
    const current = await webhooks.findOne({ _id: webhookId }, { projection: { enabled: 1, version: 1 } });
    if (!current?.enabled) return false;
    const version = current.version + 1;
    const result = await webhooks.updateOne(
      { _id: webhookId, version: current.version },
      {
        $set: {
          enabled: false,
          disabledReason: reason,
          disabledAt: new Date(deps.now()),
          version,
          updatedAt: new Date(deps.now()),
        },
      },
    );
    if (result.matchedCount === 1) {
      await deps.publish({ webhookId, version, change: 'UPSERTED', changedAt: deps.now() });
      return true;
    }
  }
}

/** The parts of a service's context that disabling webhooks needs. */
export interface DisablerContext {
  db: Db;
  producer: DurableProducer;
  serde: AvroSerde;
  topics: Pick<TopicNames, 'definitions'>;
  metrics: Registry;
  logger: LaneLogger;
}

/**
 * How a service disables webhooks on the system's behalf (the sender and retriers on 410 Gone, the
 * notifier on failures that never end): each one disabled is announced, counted and logged.
 */
export function createWebhookDisabler(context: DisablerContext) {
  const changes = new WebhookChangePublisher(context.producer, context.serde, context.topics.definitions);
  const disabled = new Counter({
    name: 'wms_webhooks_webhooks_disabled_total',
    help: 'Webhooks the system disabled: their receiver answered 410 Gone (sender, retriers), or every delivery failed for WEBHOOKS_AUTO_DISABLE_AFTER_HOURS (notifier).',
    registers: [context.metrics],
  });
  const deps: DisableDeps = { db: context.db, publish: (change) => changes.publish(change), now: Date.now };
  return async (webhookId: string, reason: string): Promise<boolean> => {
    if (!(await disableWebhook(deps, webhookId, reason))) return false;
    disabled.inc();
    context.logger.warn({ webhookId, reason }, 'webhook disabled');
    return true;
  };
}
