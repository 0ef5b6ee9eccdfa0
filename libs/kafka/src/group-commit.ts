export interface GroupCommitOptions<T> {
  /**
   * The most one write carries, in `weigh`'s units. Callers are never split: one whose items alone
   * weigh more goes out by itself, as it would without grouping.
   */
  maxWeight?: number;
  weigh?: (item: T) => number;
  /**
   * When a shared write fails, write each of its callers alone, so that one caller's bad items (a record
   * the broker refuses) do not fail the others every time they are grouped again. Only for writes whose
   * failures are not transient: against a store that is down, each caller would wait out its own timeout.
   */
  retryAloneOnFailure?: boolean;
}

interface Waiting<T> {
  items: T[];
  weight: number;
  settle: (error?: unknown) => void;
}

/**
 * Coalesces writes from concurrent callers into as few round trips as possible: while one write is in
 * flight, what arrives meanwhile waits and goes out together as the next. Each caller's promise settles
 * when the write holding its items does, so a caller still knows its items are durable (or not).
 * Partition lanes each producing, committing and logging their own small batch made many small
 * requests, served one after another (one in-flight produce request; one SQLite writer behind FerretDB).
 */
export function groupCommit<T>(
  writeMany: (items: T[]) => Promise<void>,
  options: GroupCommitOptions<T> = {},
): (items: T[]) => Promise<void> {
  const maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
  const weigh = options.weigh ?? (() => 1);
  const waiting: Waiting<T>[] = [];
  let draining = false;

  /** The callers that share the next write: in arrival order, up to the weight limit. */
  const takeNext = () => {
    let count = 1;
    let weight = waiting[0]?.weight ?? 0;
    while (count < waiting.length && weight + (waiting[count]?.weight ?? 0) <= maxWeight) {
      weight += waiting[count]?.weight ?? 0;
      count += 1;
    }
    return waiting.splice(0, count);
  };

  const write = async (callers: Waiting<T>[]) => {
    try {
      await writeMany(callers.flatMap((caller) => caller.items));
      for (const caller of callers) caller.settle();
    } catch (error) {
      if (!options.retryAloneOnFailure || callers.length === 1) {
        for (const caller of callers) caller.settle(error ?? new Error('write failed'));
        return;
      }
      for (const caller of callers) await write([caller]);
    }
  };

  const drain = async () => {
    draining = true;
    while (waiting.length > 0) await write(takeNext());
    draining = false;
  };

  return (items) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({
        items,
        weight: items.reduce((sum, item) => sum + weigh(item), 0),
        settle: (error) => (error === undefined ? resolve() : reject(error)),
      });
      if (!draining) void drain();
    });
}
