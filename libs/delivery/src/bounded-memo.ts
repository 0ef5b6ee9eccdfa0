/**
 * Remembers a pure function's results by key, forgetting them all once `maxEntries` are held: the keys
 * here are webhook URLs, a set that changes slowly, so a rare full reset costs less than tracking use.
 */
export function boundedMemo<R>(compute: (key: string) => R, maxEntries = 10_000): (key: string) => R {
  const results = new Map<string, R>();
  return (key) => {
    if (results.has(key)) return results.get(key) as R;
    if (results.size >= maxEntries) results.clear();
    const result = compute(key);
    results.set(key, result);
    return result;
  };
}
