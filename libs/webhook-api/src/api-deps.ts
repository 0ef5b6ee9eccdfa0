import type { DeliveryTask, WebhookChange } from '@wms-webhooks/contracts';
import type { AttemptLogRepository } from '@wms-webhooks/delivery';
import type { WebhookRepository } from '@wms-webhooks/webhooks';

export interface ApiDeps {
  webhooks: WebhookRepository;
  attemptLogs: AttemptLogRepository;
  publishChange: (change: WebhookChange) => Promise<void>;
  enqueueDelivery: (task: DeliveryTask) => Promise<void>;
  now: () => number;
  onPublishFailure: (error: unknown, webhookId: string) => void;
}
