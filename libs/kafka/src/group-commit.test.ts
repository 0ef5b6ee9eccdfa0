import { describe, expect, it } from 'vitest';
import { type GroupCommitOptions, groupCommit } from './group-commit';

/**
 * A groupCommit whose first write waits for `release`, so that the callers after it queue up; it records
 * every write, and fails any write holding an item `refuses` picks.
 */
function heldWriter<T>(options: GroupCommitOptions<T> = {}, refuses: (item: T) => boolean = () => false) {
  const writes: T[][] = [];
  let release: () => void = () => {};
  const write = groupCommit<T>(async (items) => {
    writes.push(items);
    if (writes.length === 1) await new Promise<void>((done) => (release = done));
    if (items.some(refuses)) throw new Error('MESSAGE_TOO_LARGE');
  }, options);
  return { write, writes, release: () => release() };
}

describe('groupCommit', () => {
  it('writes what arrives during a write together in the next one', async () => {
    const { write, writes, release } = heldWriter<number>();
    const callers = [write([1]), write([2, 3]), write([4])];
    release();
    await Promise.all(callers);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('fails exactly the callers whose write failed', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const write = groupCommit<number>(async () => {
      calls += 1;
      if (calls === 1) await new Promise<void>((done) => (release = done));
      if (calls === 2) throw new Error('store down');
    });
    const first = write([1]);
    const second = write([2]);
    release();
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toThrow('store down');
    await expect(write([3])).resolves.toBeUndefined();
  });

  describe('with a weight limit', () => {
    const byValue = { maxWeight: 10, weigh: (item: number) => item };

    it('starts a new write where the next caller would pass the limit', async () => {
      const { write, writes, release } = heldWriter(byValue);
      const callers = [write([1]), write([4, 5]), write([1]), write([3]), write([2])];
      release();
      await Promise.all(callers);
      expect(writes).toEqual([[1], [4, 5, 1], [3, 2]]);
    });

    it('sends a caller heavier than the limit alone, never split', async () => {
      const { write, writes, release } = heldWriter(byValue);
      const callers = [write([1]), write([2]), write([9, 9]), write([3])];
      release();
      await Promise.all(callers);
      expect(writes).toEqual([[1], [2], [9, 9], [3]]);
    });
  });

  describe('when a shared write fails and callers are retried alone', () => {
    it('fails only the caller whose items fail, and the others are written', async () => {
      const { write, writes, release } = heldWriter<string>(
        { retryAloneOnFailure: true },
        (item) => item === 'too-large',
      );
      const first = write(['a']);
      const good = write(['b']);
      const bad = write(['too-large']);
      const later = write(['c']);
      release();
      await expect(first).resolves.toBeUndefined();
      await expect(good).resolves.toBeUndefined();
      await expect(bad).rejects.toThrow('MESSAGE_TOO_LARGE');
      await expect(later).resolves.toBeUndefined();
      expect(writes).toEqual([['a'], ['b', 'too-large', 'c'], ['b'], ['too-large'], ['c']]);
    });
  });
});
