/**
 * The wait after the `attempt`-th failure of a step this project retries itself (a batch, a fetch, a
 * send): 0.5 s, doubling, at most 5 s, so a lane resumes within seconds once the cluster or store is back.
 */
export function retryDelayMs(attempt: number): number {
  return Math.min(5_000, 250 * 2 ** Math.min(attempt, 5));
}

/**
 * Failures in a row per key (a fetch's leader, say) since that key last succeeded: the wait before the
 * next try grows while one broker stays down, and the others go on at once.
 */
export function failureStreaks<K>() {
  const inARow = new Map<K, number>();
  return {
    failed(key: K) {
      const failuresInARow = (inARow.get(key) ?? 0) + 1;
      inARow.set(key, failuresInARow);
      return { failuresInARow, retryInMs: retryDelayMs(failuresInARow) };
    },
    succeeded(...keys: K[]) {
      for (const key of keys) inARow.delete(key);
    },
  };
}
