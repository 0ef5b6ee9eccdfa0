/**
 * The pace every replay a process runs shares: a bucket of a tenth of a second's deliveries, refilled at
 * the rate. `take` reserves the next delivery's turn and says how long to wait for it, so replays running
 * side by side share the rate instead of each having it.
 */
export function replayPace(ratePerSecond: number, now: () => number = Date.now) {
  const capacity = Math.max(1, ratePerSecond / 10);
  let tokens = capacity;
  let at = now();
  return {
    take(): number {
      const time = now();
      tokens = Math.min(capacity, tokens + ((time - at) * ratePerSecond) / 1000);
      at = time;
      tokens -= 1;
      return tokens >= 0 ? 0 : (-tokens * 1000) / ratePerSecond;
    },
  };
}

export type ReplayPace = ReturnType<typeof replayPace>;
