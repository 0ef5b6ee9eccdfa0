import type { WebhookChange } from '@wms-webhooks/contracts';
import type { Db } from 'mongodb';

export interface DisableDeps {
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
export async function disableWebhook(deps: DisableDeps, webhookId: string, reason: string): Promise<boolean> {
  const webhooks = deps.db.collection<EnabledState>('webhooks');
  for (;;) {
    const current = await webhooks.findOne({ _id: webhookId }, { projection: { enabled: 1, version: 1 } });
    if (!current?.enabled) return false;
    const version = current.version + 1;
    const result = await webhooks.updateOne(
      { _id: webhookId, version: current.version },
      { $set: { enabled: false, disabledReason: reason, version, updatedAt: new Date(deps.now()) } },
    );
    if (result.matchedCount === 1) {
      await deps.publish({ webhookId, version, change: 'UPSERTED', changedAt: deps.now() });
      return true;
    }
  }
}
