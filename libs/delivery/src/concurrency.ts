/**
 * Work run one at a time per key, in the order it was queued, with at most `limit` running in all. Keys
 * take turns for free slots. A key's work queued by a later batch waits for an earlier batch's, so a
 * webhook's order holds across batches, while other webhooks go on without waiting for a slow one.
 */
export interface KeyedQueue {
  run<R>(key: string, work: () => Promise<R>): Promise<R>;
  /** Work running or waiting. */
  readonly pending: number;
}

interface Job {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

export function createKeyedQueue(limit: number): KeyedQueue {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  /** Per key, its jobs in order; the first is running or waiting for a slot. */
  const queues = new Map<string, Job[]>();
  /** Keys whose first job waits for a slot, in the order they became ready. */
  const ready: string[] = [];
  let running = 0;
  let pending = 0;

  const settle = (key: string) => {
    running--;
    pending--;
    const queue = queues.get(key) as Job[];
    queue.shift();
    if (queue.length === 0) queues.delete(key);
    else ready.push(key);
    pump();
  };

  const pump = () => {
    while (running < limit && ready.length > 0) {
      const key = ready.shift() as string;
      const job = (queues.get(key) as Job[])[0] as Job;
      running++;
      new Promise((resolve) => resolve(job.work())).then(job.resolve, job.reject).finally(() => settle(key));
    }
  };

  return {
    run: <R>(key: string, work: () => Promise<R>) =>
      new Promise<R>((resolve, reject) => {
        pending++;
        const job: Job = { work, resolve: resolve as (value: unknown) => void, reject };
        const queue = queues.get(key);
        if (queue) {
          queue.push(job);
          return;
        }
        queues.set(key, [job]);
        ready.push(key);
        pump();
      }),
    get pending() {
      return pending;
    },
  };
}
