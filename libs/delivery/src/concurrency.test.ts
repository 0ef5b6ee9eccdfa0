import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from './concurrency';

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('createKeyedQueue', () => {
  it('never runs more than the limit at once, and runs every job', async () => {
    const queue = createKeyedQueue(3);
    let running = 0;
    let peak = 0;
    const done = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7].map((item) =>
        queue.run(`key-${item}`, async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((tick) => setTimeout(tick, 5));
          running--;
          return item;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(done).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(queue.pending).toBe(0);
  });

  it('runs one key’s jobs one at a time, in the order they were queued', async () => {
    const queue = createKeyedQueue(8);
    const order: string[] = [];
    let running = 0;
    const job = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      await new Promise((tick) => setTimeout(tick, 1));
      order.push(name);
      running--;
    };
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => queue.run('webhook-1', job(name))));
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it('lets other keys go on while one key waits on a slow job', async () => {
    const queue = createKeyedQueue(4);
    const slow = gate();
    const slowDone = queue.run('slow', () => slow.opened);
    const behindSlow = queue.run('slow', async () => 'behind');
    const others = await Promise.all([
      queue.run('fast-1', async () => 1),
      queue.run('fast-2', async () => 2),
    ]);
    expect(others).toEqual([1, 2]);
    expect(queue.pending).toBe(2);
    slow.open();
    await slowDone;
    expect(await behindSlow).toBe('behind');
  });

  it('rejects only the job that failed, and its key goes on with the next', async () => {
    const queue = createKeyedQueue(1);
    const failed = queue.run('webhook-1', async () => {
      throw new Error('store unavailable');
    });
    const thrownSync = queue.run('webhook-1', () => {
      throw new Error('thrown before any await');
    });
    const next = queue.run('webhook-1', async () => 'next');
    await expect(failed).rejects.toThrow('store unavailable');
    await expect(thrownSync).rejects.toThrow('thrown before any await');
    expect(await next).toBe('next');
  });

  it('gives waiting keys their turns in order when slots free up', async () => {
    const queue = createKeyedQueue(1);
    const started: string[] = [];
    const first = gate();
    const runs = [
      queue.run('a', async () => {
        started.push('a1');
        await first.opened;
      }),
      queue.run('a', async () => {
        started.push('a2');
      }),
      queue.run('b', async () => {
        started.push('b1');
      }),
    ];
    first.open();
    await Promise.all(runs);
    expect(started).toEqual(['a1', 'b1', 'a2']);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => createKeyedQueue(0)).toThrow('limit must be a positive integer, got 0');
  });
});
