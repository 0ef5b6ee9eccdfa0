import { positiveInt } from '@wms-webhooks/config';
import type { Webhook } from '@wms-webhooks/webhooks';
import { type AttemptOutcome, answeredHealthy } from './http-client';

export const pacingEnv = {
  RETRY_AFTER_MAX_WAIT_MS: positiveInt()
    .default(5_000)
    .describe(
      "The longest a receiver's Retry-After (on a 429 or 503) holds its webhook's new deliveries before they are sent; a longer ask is left to the circuit breaker and the retry tiers (docs/architecture.md).",
    ),
};

export interface PacerOptions {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /**
   * The longest a Retry-After holds a webhook's new deliveries here. Longer asks are left to the circuit
   * breaker and the retry tiers, which do not hold the partition's lane while they wait.
   */
  maxRetryAfterWaitMs: number;
  onWait?: (ms: number, reason: 'limit' | 'retry-after') => void;
}

interface Slowdown {
  /** No new delivery of the webhook starts before this. */
  notBefore: number;
  /** Deliveries per second allowed while it recovers, over all its lanes. */
  perSecond: number;
  updatedAt: number;
}

/** Where a slowed webhook starts, per lane, and how far it may fall. */
const slowedPerSecondPerLane = 1;
const minPerSecond = 0.2;
/** Each healthy answer raises the allowed rate by half; at this rate the slowdown is over. */
const recoveryFactor = 1.5;
const recoveredPerSecond = 200;
/** A slowdown nothing has touched for this long is forgotten: the webhook has gone quiet. */
const forgetAfterMs = 5 * 60_000;

/**
 * Paces each webhook's new deliveries: at most `maxPerSecond` over its lanes, and slower for a while after
 * its receiver answers 429 or 503 with Retry-After (not before that time, capped, then at a reduced rate
 * that rises with each healthy answer). State is per webhook and lane, so other webhooks never wait.
 */
export class WebhookPacer {
  private readonly nextStart = new Map<string, number>();
  private readonly slowed = new Map<string, Slowdown>();

  constructor(private readonly options: PacerOptions) {}

  /** Waits until a delivery on this lane may start, and books that start. */
  async pace(webhook: Pick<Webhook, 'id' | 'maxConcurrency' | 'maxPerSecond'>, lane: string): Promise<void> {
    const now = this.options.now();
    const slowdown = this.current(webhook.id, now);
    const perSecond = Math.min(
      webhook.maxPerSecond ?? Number.POSITIVE_INFINITY,
      slowdown?.perSecond ?? Number.POSITIVE_INFINITY,
    );
    const lanes = lane === webhook.id ? 1 : webhook.maxConcurrency;
    const byRate = this.nextStart.get(lane) ?? now;
    const byRetryAfter = slowdown?.notBefore ?? now;
    const start = Math.max(now, byRate, byRetryAfter);
    if (Number.isFinite(perSecond)) this.nextStart.set(lane, start + (1000 * lanes) / perSecond);
    else this.nextStart.delete(lane);
    const wait = start - now;
    if (wait <= 0) return;
    this.options.onWait?.(wait, byRetryAfter >= byRate ? 'retry-after' : 'limit');
    await this.options.sleep(wait);
  }

  /** Learns from an answer: Retry-After on a 429 or 503 slows the webhook; healthy answers speed it up. */
  record(webhook: Pick<Webhook, 'id' | 'maxConcurrency'>, outcome: AttemptOutcome): void {
    const now = this.options.now();
    const slowdown = this.current(webhook.id, now);
    if (outcome.outcome === 'failed' && outcome.retryAfterMs !== undefined) {
      this.slowed.set(webhook.id, {
        notBefore: now + Math.min(outcome.retryAfterMs, this.options.maxRetryAfterWaitMs),
        perSecond: slowdown
          ? Math.max(minPerSecond, slowdown.perSecond / 2)
          : slowedPerSecondPerLane * webhook.maxConcurrency,
        updatedAt: now,
      });
      return;
    }
    if (!slowdown || !answeredHealthy(outcome)) return;
    const perSecond = slowdown.perSecond * recoveryFactor;
    if (perSecond >= recoveredPerSecond) this.slowed.delete(webhook.id);
    else this.slowed.set(webhook.id, { ...slowdown, perSecond, updatedAt: now });
  }

  /** Webhooks slowed by their receivers now. */
  slowedCount(): number {
    const now = this.options.now();
    return [...this.slowed.keys()].filter((id) => this.current(id, now)).length;
  }

  private current(webhookId: string, now: number): Slowdown | undefined {
    const slowdown = this.slowed.get(webhookId);
    if (slowdown && now - slowdown.updatedAt > forgetAfterMs) {
      this.slowed.delete(webhookId);
      return undefined;
    }
    return slowdown;
  }
}
