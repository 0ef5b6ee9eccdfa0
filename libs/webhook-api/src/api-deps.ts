import type { ApiKeyRepository } from '@wms-webhooks/access';
import type { DeliveryTask, WebhookChange } from '@wms-webhooks/contracts';
import type {
  ActivityPoint,
  ActivityWindow,
  AttemptLogRepository,
  LogStats,
  ReplayOutcomes,
  ResendClaims,
  WebhookActivity,
} from '@wms-webhooks/delivery';
import type { ReplayRunner, ReplayStore } from '@wms-webhooks/replay';
import type { WebhookRepository } from '@wms-webhooks/webhooks';

export interface ApiDeps {
  webhooks: WebhookRepository;
  attemptLogs: AttemptLogRepository;
  resendClaims: ResendClaims;
  /** The last outcome and the last 24 hours per webhook, from the writers' counts, not the log. */
  webhookActivity: (webhookIds: readonly string[]) => Promise<Map<string, WebhookActivity>>;
  /** One webhook's attempts and failures over a window, from the writers' counts and the folded hours. */
  activityHistory: (
    webhookId: string,
    window: ActivityWindow,
  ) => Promise<{ stepHours: number; points: ActivityPoint[] }>;
  /** The log's last measured size and age; undefined until first measured. */
  logStats: () => LogStats | undefined;
  apiKeys: ApiKeyRepository;
  replays: {
    runner: Pick<ReplayRunner, 'submit' | 'preview' | 'isActive'>;
    store: Pick<ReplayStore, 'get' | 'listFor' | 'requestCancel' | 'cancelRequested'>;
    /** How each replay's deliveries ended, from the writers' counts. */
    outcomes: (replayIds: readonly string[]) => Promise<Map<string, ReplayOutcomes>>;
  };
  publishChange: (change: WebhookChange) => Promise<void>;
  enqueueDelivery: (task: DeliveryTask) => Promise<void>;
  now: () => number;
  /** Why a webhook may not target this URL (SSRF guard), or undefined if it may. */
  checkTarget: (url: string) => Promise<string | undefined>;
  onPublishFailure: (error: unknown, webhookId: string) => void;
  /** How long a rotated-out signing secret keeps signing alongside the new one. */
  secretGraceMs: number;
  /** Counts a request refused by a limit or quota, by which. */
  countRefusal: (reason: RefusalReason) => void;
}

export type RefusalReason =
  | 'auth-failures'
  | 'concurrency'
  | 'quota-webhooks'
  | 'quota-create'
  | 'quota-test'
  | 'quota-rotate';
