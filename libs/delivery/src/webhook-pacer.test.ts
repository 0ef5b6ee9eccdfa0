import { testWebhook } from '@wms-webhooks/webhooks/testing';
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from './http-client';
import { WebhookPacer } from './webhook-pacer';

/** A pacer on a clock that only sleeping moves; each start is recorded at the time it was let through. */
function pacedClock() {
  let now = 0;
  const waits: Array<{ ms: number; reason: string }> = [];
  const pacer = new WebhookPacer({
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    maxRetryAfterWaitMs: 5_000,
    onWait: (ms, reason) => waits.push({ ms, reason }),
  });
  const starts = async (webhook: Parameters<WebhookPacer['pace']>[0], lanes: string[]) => {
    const times: number[] = [];
    for (const lane of lanes) {
      await pacer.pace(webhook, lane);
      times.push(now);
    }
    return times;
  };
  return { pacer, starts, waits, advance: (ms: number) => (now += ms), at: () => now };
}

const ok: AttemptOutcome = { outcome: 'succeeded', statusCode: 200, durationMs: 1 };
const tooMany = (retryAfterMs?: number): AttemptOutcome => ({
  outcome: 'failed',
  kind: 'status',
  statusCode: 429,
  error: 'HTTP 429',
  durationMs: 1,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

describe('WebhookPacer', () => {
  describe('when a webhook has no limit', () => {
    it('lets every delivery start at once', async () => {
      const { starts } = pacedClock();
      expect(await starts(testWebhook({ id: 'w' }), ['w', 'w', 'w'])).toEqual([0, 0, 0]);
    });
  });

  describe('when a webhook allows 4 per second on one lane', () => {
    it('starts them 250 ms apart', async () => {
      const { starts, waits } = pacedClock();
      expect(await starts(testWebhook({ id: 'w', maxPerSecond: 4 }), ['w', 'w', 'w'])).toEqual([0, 250, 500]);
      expect(waits.every((wait) => wait.reason === 'limit')).toBe(true);
    });
  });

  describe('when a webhook allows 4 per second over 2 lanes', () => {
    it('gives each lane half: 500 ms apart within a lane, 4 per second in all', async () => {
      const { starts } = pacedClock();
      const webhook = testWebhook({ id: 'w', maxPerSecond: 4, maxConcurrency: 2 });
      expect(await starts(webhook, ['w#0', 'w#1', 'w#0', 'w#1'])).toEqual([0, 0, 500, 500]);
    });
  });

  describe('when the receiver answers 429 with Retry-After', () => {
    it("holds the webhook's new deliveries until then, and not another webhook's", async () => {
      const { pacer, starts, waits } = pacedClock();
      const slowed = testWebhook({ id: 'slowed' });
      pacer.record(slowed, tooMany(2_000));
      expect(await starts(testWebhook({ id: 'other' }), ['other'])).toEqual([0]);
      expect(await starts(slowed, ['slowed'])).toEqual([2_000]);
      expect(waits).toEqual([{ ms: 2_000, reason: 'retry-after' }]);
      expect(pacer.slowedCount()).toBe(1);
    });

    it('waits at most the cap, however long the receiver asks', async () => {
      const { pacer, starts } = pacedClock();
      pacer.record(testWebhook({ id: 'w' }), tooMany(3_600_000));
      expect(await starts(testWebhook({ id: 'w' }), ['w'])).toEqual([5_000]);
    });

    it('then goes slowly, and speeds up with each healthy answer until it is no longer slowed', async () => {
      const { pacer, starts, at, advance } = pacedClock();
      const webhook = testWebhook({ id: 'w' });
      pacer.record(webhook, tooMany(0));
      const slow = await starts(webhook, ['w', 'w']);
      expect(slow[1]! - slow[0]!).toBe(1_000);
      for (let answer = 0; answer < 20 && pacer.slowedCount() > 0; answer++) pacer.record(webhook, ok);
      expect(pacer.slowedCount()).toBe(0);
      advance(1_000);
      expect(await starts(webhook, ['w', 'w', 'w'])).toEqual([at(), at(), at()]);
    });

    it('halves the rate when the receiver asks again while slowed', async () => {
      const { pacer, starts } = pacedClock();
      const webhook = testWebhook({ id: 'w' });
      pacer.record(webhook, tooMany(0));
      pacer.record(webhook, tooMany(0));
      const times = await starts(webhook, ['w', 'w']);
      expect(times[1]! - times[0]!).toBe(2_000);
    });
  });

  describe('when the receiver answers 429 without Retry-After', () => {
    it('does not slow the webhook here: the breaker and the retry tiers handle it', () => {
      const { pacer } = pacedClock();
      pacer.record(testWebhook({ id: 'w' }), tooMany());
      expect(pacer.slowedCount()).toBe(0);
    });
  });

  describe('when a slowed webhook goes quiet', () => {
    it('forgets the slowdown after five minutes', () => {
      const { pacer, advance } = pacedClock();
      pacer.record(testWebhook({ id: 'w' }), tooMany(1_000));
      advance(5 * 60_000 + 1);
      expect(pacer.slowedCount()).toBe(0);
    });
  });
});
