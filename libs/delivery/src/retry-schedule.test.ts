import { describe, expect, it } from 'vitest';
import {
  decideRetry,
  oneDayWindowMs,
  type RetryDecision,
  retryTiers,
  tierDueStepMs,
  tierFetchWaitMs,
} from './retry-schedule';

const minute = 60_000;

/** Fails every attempt the instant it starts and returns when each attempt ran, relative to the first. */
function failEverything(timeScale: number): Array<{ attempt: number; at: number; tier?: string }> {
  const first = 1_000_000;
  const runs: Array<{ attempt: number; at: number; tier?: string }> = [{ attempt: 1, at: 0 }];
  let failedAt = first;
  for (let attempt = 1; ; attempt++) {
    const decision: RetryDecision = decideRetry({
      policy: 'one-day',
      failedAttempt: attempt,
      firstAttemptAt: first,
      failedAt,
      timeScale,
    });
    if (!decision.retry) return runs;
    runs.push({ attempt: attempt + 1, at: decision.dueAt - first, tier: decision.tier });
    failedAt = decision.dueAt;
  }
}

describe('the one-day schedule', () => {
  it('makes 16 attempts: after 1, 5, 15 and 30 minutes, then every 2 hours within a day', () => {
    const runs = failEverything(1);
    expect(runs).toHaveLength(16);
    const gaps = runs.slice(1).map((run, index) => (run.at - runs[index]!.at) / minute);
    expect(gaps).toEqual([1, 5, 15, 30, ...Array(11).fill(120)]);
    expect(runs.map((run) => run.tier).slice(1, 6)).toEqual(['1m', '5m', '15m', '30m', '2h']);
    expect(runs.at(-1)!.at).toBeLessThanOrEqual(oneDayWindowMs);
  });

  it('keeps the same shape at time scale 0.001: 60 ms … 7.2 s, a day is 86.4 s', () => {
    const runs = failEverything(0.001);
    expect(runs).toHaveLength(16);
    expect(runs[1]!.at).toBeCloseTo(60);
    expect(runs[5]!.at - runs[4]!.at).toBeCloseTo(7_200);
    expect(runs.at(-1)!.at).toBeLessThanOrEqual(86_400);
  });

  it('gives up when the next attempt would fall after the window, saying so', () => {
    const decision = decideRetry({
      policy: 'one-day',
      failedAttempt: 16,
      firstAttemptAt: 0,
      failedAt: 23 * 60 * minute,
      timeScale: 1,
    });
    expect(decision).toEqual({ retry: false, reason: expect.stringContaining('24 h window') });
  });
});

describe('the none policy', () => {
  it('never retries', () => {
    expect(
      decideRetry({ policy: 'none', failedAttempt: 1, firstAttemptAt: 0, failedAt: 0, timeScale: 1 }),
    ).toEqual({
      retry: false,
      reason: 'the retry policy is none',
    });
  });
});

describe('Retry-After', () => {
  it('pushes the next attempt later and picks the tier that covers the wait', () => {
    const decision = decideRetry({
      policy: 'one-day',
      failedAttempt: 1,
      firstAttemptAt: 0,
      failedAt: 0,
      timeScale: 1,
      retryAfterMs: 10 * minute,
    });
    expect(decision).toEqual({ retry: true, tier: '15m', dueAt: 10 * minute });
  });

  it('never makes an attempt earlier than the schedule', () => {
    const decision = decideRetry({
      policy: 'one-day',
      failedAttempt: 3,
      firstAttemptAt: 0,
      failedAt: 0,
      timeScale: 1,
      retryAfterMs: 1_000,
    });
    expect(decision).toMatchObject({ retry: true, tier: '15m', dueAt: 15 * minute });
  });

  it('gives up rather than retry after the window', () => {
    const decision = decideRetry({
      policy: 'one-day',
      failedAttempt: 1,
      firstAttemptAt: 0,
      failedAt: 0,
      timeScale: 1,
      retryAfterMs: 25 * 60 * minute,
    });
    expect(decision.retry).toBe(false);
  });
});

describe('how long a tier polls', () => {
  it('waits half a second at real time: a 1-minute retry starts at most that late', () => {
    expect(retryTiers.map((tier) => tierFetchWaitMs(tier, 1))).toEqual([500, 500, 500, 500, 500]);
  });

  it('waits less when time is compressed, but never under 25 ms', () => {
    expect(retryTiers.map((tier) => tierFetchWaitMs(tier, 0.001))).toEqual([25, 25, 25, 25, 60]);
  });
});

describe('the step a tier resumes on', () => {
  it('is 100 ms at real time, so retries falling due in a trickle start together, at most that much later', () => {
    expect(retryTiers.map((tier) => tierDueStepMs(tier, 1))).toEqual([100, 100, 100, 100, 100]);
  });

  it('shrinks with compressed time', () => {
    expect(retryTiers.map((tier) => tierDueStepMs(tier, 0.001))).toEqual([5, 5, 5, 5, 12]);
  });
});
