import type { WebhookChange } from '@wms-webhooks/contracts';
import type { WebhookRepository } from './webhook-repository';

export interface DisableDeps {
  webhooks: WebhookRepository;
  publish: (change: WebhookChange) => Promise<void>;
  now: () => number;
}

/**
 * Disables a webhook on the system's behalf, saying why, and announces the change so every service
 * stops sending to it. False when there was nothing to do: it is gone, already disabled, or its
 * secrets do not open (it cannot be saved, and nothing is sent to it anyway). A change made meanwhile
 * by someone else is read again and disabled on top of it.
 */
export async function disableWebhook(deps: DisableDeps, webhookId: string, reason: string): Promise<boolean> {
  for (;;) {
    const current = await deps.webhooks.findById(webhookId);
    if (!current?.enabled || current.unreadableSecrets) return false;
    const version = current.version + 1;
    const disabled = {
      ...current,
      enabled: false,
      disabledReason: reason,
      version,
      updatedAt: new Date(deps.now()),
    };
    if (await deps.webhooks.replace(disabled, current.version)) {
      await deps.publish({ webhookId, version, change: 'UPSERTED', changedAt: deps.now() });
      return true;
    }
  }
}
