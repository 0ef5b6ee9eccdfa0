/**
 * Coalesces writes from concurrent callers into as few store round trips as possible: while one write is
 * in flight, what arrives meanwhile waits and goes out together as the next. Each caller's promise
 * settles when the write holding its items does, so a caller still knows its items are durable (or not).
 * Partition lanes each producing, committing and logging their own small batch made many small
 * requests, served one after another (one in-flight produce request; one SQLite writer behind FerretDB).
 */
export function groupCommit<T>(writeMany: (items: T[]) => Promise<void>): (items: T[]) => Promise<void> {
  let queued: { items: T[]; settle: Array<(error?: unknown) => void> } | undefined;
  let draining = false;

  const drain = async () => {
    draining = true;
    while (queued) {
      const batch = queued;
      queued = undefined;
      try {
        await writeMany(batch.items);
        for (const settle of batch.settle) settle();
      } catch (error) {
        for (const settle of batch.settle) settle(error ?? new Error('write failed'));
      }
    }
    draining = false;
  };

  return (items) =>
    new Promise<void>((resolve, reject) => {
      queued ??= { items: [], settle: [] };
      queued.items.push(...items);
      queued.settle.push((error) => (error === undefined ? resolve() : reject(error)));
      if (!draining) void drain();
    });
}
