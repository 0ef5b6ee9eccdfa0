import type { RetryPolicy } from '@wms-webhooks/webhooks';

export const retryTiers = ['1m', '5m', '15m', '30m', '2h'] as const;
export type RetryTier = (typeof retryTiers)[number];

const minute = 60_000;
export const tierDelayMs: Record<RetryTier, number> = {
  '1m': minute,
  '5m': 5 * minute,
  '15m': 15 * minute,
  '30m': 30 * minute,
  '2h': 120 * minute,
};
export const oneDayWindowMs = 24 * 60 * minute;

export interface RetryDecisionInput {
  policy: RetryPolicy;
  /** The attempt that just failed, 1-based. */
  failedAttempt: number;
  firstAttemptAt: number;
  failedAt: number;
  /** WEBHOOKS_TIME_SCALE: multiplies every delay and the window. */
  timeScale: number;
  /** A 429/503 receiver's Retry-After, in real milliseconds. */
  retryAfterMs?: number;
}

export type RetryDecision =
  | { retry: true; tier: RetryTier; dueAt: number }
  | { retry: false; reason: string };

/**
 * The one-day policy retries after 1, 5, 15 and 30 minutes, then every 2 hours, and schedules nothing
 * later than 24 hours after the first attempt: 16 attempts when all fail. Retry-After can only push an
 * attempt later, never earlier, and never past the window.
 */
export function decideRetry(input: RetryDecisionInput): RetryDecision {
  if (input.policy === 'none') return { retry: false, reason: 'the retry policy is none' };
  const scheduled = retryTiers[Math.min(input.failedAttempt - 1, retryTiers.length - 1)] as RetryTier;
  const delayMs = Math.max(tierDelayMs[scheduled] * input.timeScale, input.retryAfterMs ?? 0);
  const dueAt = input.failedAt + delayMs;
  const windowEnd = input.firstAttemptAt + oneDayWindowMs * input.timeScale;
  if (dueAt > windowEnd) {
    return {
      retry: false,
      reason: `the next attempt would fall after the 24 h window (attempt ${input.failedAttempt} was the last)`,
    };
  }
  return { retry: true, tier: tierFor(delayMs, input.timeScale), dueAt };
}

/**
 * The shortest tier whose delay covers the wait, so a record never waits behind records due much later
 * than itself; a wait longer than 2 h (a long Retry-After) goes to the 2 h tier, held until due.
 */
function tierFor(delayMs: number, timeScale: number): RetryTier {
  return retryTiers.find((tier) => tierDelayMs[tier] * timeScale >= delayMs) ?? '2h';
}

/**
 * How long a tier's consumer long-polls. A partition resumed at its due time joins the next fetch, so a
 * retry may start up to this late: at most a 120th of the tier's delay, and never over half a second.
 * Polling that rarely spares the broker and each mostly idle tier; compressed time scales it down.
 */
export function tierFetchWaitMs(tier: RetryTier, timeScale: number): number {
  return Math.min(500, Math.max(25, Math.round((tierDelayMs[tier] * timeScale) / 120)));
}

/**
 * The step a tier's held partitions resume on (due-records.ts): a fifth of its poll, so the retries due
 * within a step start together, at most a step after their due time.
 */
export function tierDueStepMs(tier: RetryTier, timeScale: number): number {
  return Math.round(tierFetchWaitMs(tier, timeScale) / 5);
}
