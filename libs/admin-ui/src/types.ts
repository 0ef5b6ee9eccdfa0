export interface Problem {
  field: string;
  message: string;
}

export type Auth =
  | { type: 'none' }
  | { type: 'basic'; username: string; password?: string }
  | { type: 'token'; token?: string };

export interface HourOfActivity {
  hour: string;
  attempts: number;
  failures: number;
}

export interface WebhookActivity {
  lastOutcome: 'succeeded' | 'failed' | null;
  lastAttemptAt: string | null;
  /** Over the last 24 hours. */
  recentAttempts: number;
  recentFailures: number;
  hourly: HourOfActivity[];
}

export type ActivityWindow = '24h' | '7d' | '30d';

export interface ActivityHistory {
  window: ActivityWindow;
  stepHours: number;
  points: Array<{ start: string; attempts: number; failures: number }>;
}

export interface LogRetention {
  retentionDays: number;
  bytes: number | null;
  oldestAt: string | null;
  measuredAt: string | null;
}

export interface PublicWebhook {
  id: string;
  name: string;
  eventType: string;
  kind: 'regular' | 'automation';
  goodsOwnerIds: number[];
  allGoodsOwners: boolean;
  url: string;
  email: string;
  auth: Auth;
  headers: Record<string, string>;
  filters: Record<string, string[]>;
  retryPolicy: 'none' | 'one-day';
  enabled: boolean;
  /** Why the system disabled it: the receiver answered 410 Gone, or every delivery failed for days. */
  disabledReason?: string | null;
  /** Since when it has been disabled; a replay from then sends what it missed. */
  disabledAt?: string | null;
  timeoutMs: number;
  maxConcurrency: number;
  maxPerSecond: number | null;
  version: number;
  activity?: WebhookActivity;
}

/** One entry of `GET /api/catalogue`. */
export interface EventTypeInfo {
  eventType: string;
  description: string;
  filters: Array<{ attribute: string; description: string }>;
  sample: { entityId: string; attributes: Record<string, string>; payload: Record<string, unknown> };
}

export interface LogItem {
  id: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  startedAt: string;
  durationMs: number;
  outcome: 'succeeded' | 'failed';
  statusCode: number | null;
  error: string | null;
  test: boolean;
  /** The replay that sent it; null for live traffic. */
  replayId: string | null;
  final: boolean;
  nextAttemptAt: string | null;
  resendable: boolean;
  errorKind: string | null;
}

export interface HeaderLine {
  name: string;
  value: string;
}

export interface BodyExcerpt {
  text: string;
  bytes: number;
  truncated: boolean;
}

export interface AttemptDetail extends LogItem {
  url: string | null;
  exchange: {
    request: { method: string; url: string; headers: HeaderLine[]; body: BodyExcerpt };
    response: { headers: HeaderLine[]; body: BodyExcerpt } | null;
  } | null;
}

export type Principal =
  | { keyId: string; name: string; role: 'admin' }
  | { keyId: string; name: string; role: 'goods-owner'; goodsOwnerIds: number[] };

export interface QuotaView {
  webhooksPerGoodsOwner: number;
  createsPerMinute: number;
  testsPerMinute: number;
  rotationsPerMinute: number;
  bindsThisKey: boolean;
  goodsOwners: Array<{ goodsOwnerId: number; webhooks: number }>;
}

export type ReplaySource = 'failed' | 'log';

/** `POST /api/webhooks/{id}/replay` with `dryRun: true`. */
export interface ReplayPreview {
  count: number;
  eventIds: string[];
  scanned: number;
  complete: boolean;
}

/** `GET /api/webhooks/{id}/replays/{replayId}`. */
export interface Replay {
  id: string;
  source: ReplaySource;
  from: string;
  to: string;
  state: 'queued' | 'running' | 'completed' | 'cancelled' | 'failed';
  requestedBy: string;
  createdAt: string;
  error: string | null;
  cancelRequested: boolean;
  progress: {
    scanned: number;
    matched: number;
    sent: number;
    skipped: number;
    succeeded: number;
    failed: number;
  };
}
