/**
 * Picks items unevenly: item i with a share proportional to 1/(i+1), so a few are busy and a long tail is
 * quiet, as webhooks are in a real deployment.
 */
export function skewedPick<T>(items: readonly T[]): () => T {
  let running = 0;
  const total = items.reduce((sum, _, index) => sum + 1 / (index + 1), 0);
  const edges = items.map((_, index) => {
    running += 1 / (index + 1) / total;
    return running;
  });
  return () => {
    const draw = Math.random();
    const index = edges.findIndex((edge) => draw <= edge);
    return items[index === -1 ? items.length - 1 : index] as T;
  };
}
