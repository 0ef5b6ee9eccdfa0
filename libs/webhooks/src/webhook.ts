export type WebhookAuth =
  | { type: 'none' }
  | { type: 'basic'; username: string; password: string }
  | { type: 'token'; token: string };

export type RetryPolicy = 'none' | 'one-day';
export type WebhookKind = 'regular' | 'automation';

/** What an operator sets. */
export interface WebhookSettings {
  name: string;
  eventType: string;
  kind: WebhookKind;
  /** Regular: exactly one. Automation: one or more, or empty with allGoodsOwners. */
  goodsOwnerIds: number[];
  allGoodsOwners: boolean;
  url: string;
  email: string;
  auth: WebhookAuth;
  headers: Record<string, string>;
  /** attribute → allowed values; an event passes when every listed attribute has an allowed value. */
  filters: Record<string, string[]>;
  retryPolicy: RetryPolicy;
  enabled: boolean;
  timeoutMs: number;
  /**
   * Deliveries in flight at once. 1 (the default): one at a time, in the order events happened. More:
   * that many lanes, each in order, the order between them not kept.
   */
  maxConcurrency: number;
  /** Deliveries started per second at most, over all lanes; null for no limit. */
  maxPerSecond: number | null;
}

/** What a definition stored before a setting existed means. */
export const settingDefaults = { maxConcurrency: 1, maxPerSecond: null } satisfies Partial<WebhookSettings>;

export interface Webhook extends WebhookSettings {
  id: string;
  /** Standard Webhooks secret, `whsec_<base64>`; shown to the operator once, at creation. */
  signingSecret: string;
  /** Secrets replaced by a rotation, still signed with until they expire, so receivers can switch over. */
  previousSigningSecrets: Array<{ secret: string; expiresAt: Date }>;
  /** Increases with every change; caches ignore notices older than what they hold. */
  version: number;
  /**
   * Why the stored credentials could not be opened (sealed with a key the keyring lacks), when they
   * could not; the secret fields are then empty. Deliveries to such a webhook are quarantined, not sent.
   */
  unreadableSecrets?: string;
  /**
   * Why the system disabled it (its receiver answered 410 Gone, or every delivery failed for days), shown
   * beside the enabled flag; cleared when an operator saves it enabled again.
   */
  disabledReason?: string | null;
  /**
   * Since when it has been disabled, by the system or an operator; cleared when saved enabled again. What
   * it missed meanwhile can be replayed from here.
   */
  disabledAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
