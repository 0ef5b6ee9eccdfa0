import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit';

describe('groupCommit', () => {
  it('writes what arrives during a write together in the next one', async () => {
    const writes: number[][] = [];
    let release: () => void = () => {};
    const write = groupCommit<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((done) => (release = done));
    });
    const first = write([1]);
    const second = write([2, 3]);
    const third = write([4]);
    release();
    await Promise.all([first, second, third]);
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
    it('starts a new write where the next caller would pass the limit', async () => {
      const writes: number[][] = [];
      let release: () => void = () => {};
      const write = groupCommit<number>(
        async (items) => {
          writes.push(items);
          if (writes.length === 1) await new Promise<void>((done) => (release = done));
        },
        { maxWeight: 10, weigh: (item) => item },
      );
      const callers = [write([1]), write([4, 5]), write([1]), write([3]), write([2])];
      release();
      await Promise.all(callers);
      expect(writes).toEqual([[1], [4, 5, 1], [3, 2]]);
    });

    it('sends a caller heavier than the limit alone, never split', async () => {
      const writes: number[][] = [];
      let release: () => void = () => {};
      const write = groupCommit<number>(
        async (items) => {
          writes.push(items);
          if (writes.length === 1) await new Promise<void>((done) => (release = done));
        },
        { maxWeight: 10, weigh: (item) => item },
      );
      const callers = [write([1]), write([2]), write([9, 9]), write([3])];
      release();
      await Promise.all(callers);
      expect(writes).toEqual([[1], [2], [9, 9], [3]]);
    });
  });

  describe('when a shared write fails and callers are retried alone', () => {
    it('fails only the caller whose items fail, and the others are written', async () => {
      const writes: string[][] = [];
      let release: () => void = () => {};
      const write = groupCommit<string>(
        async (items) => {
          writes.push(items);
          if (writes.length === 1) await new Promise<void>((done) => (release = done));
          if (items.includes('too-large')) throw new Error('MESSAGE_TOO_LARGE');
        },
        { retryAloneOnFailure: true },
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
