import { describe, expect, it } from 'vitest';
import { failureStreaks, retryDelayMs } from './retry-delay';

describe('retryDelayMs', () => {
  it('waits 0.5 s after the first failure, doubling up to 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 40].map(retryDelayMs)).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
  });
});

describe('failureStreaks', () => {
  it('grows the wait per key, and starts over for a key once it succeeds', () => {
    const streaks = failureStreaks<number>();
    streaks.failed(2);
    expect(streaks.failed(2)).toEqual({ failuresInARow: 2, retryInMs: 1_000 });
    expect(streaks.failed(3)).toEqual({ failuresInARow: 1, retryInMs: 500 });
    streaks.succeeded(2);
    expect(streaks.failed(2)).toEqual({ failuresInARow: 1, retryInMs: 500 });
  });
});
