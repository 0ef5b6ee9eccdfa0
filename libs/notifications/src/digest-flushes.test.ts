import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startDigestFlushes } from './digest-flushes';

describe('startDigestFlushes', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  describe('when a flush takes longer than the interval', () => {
    it('passes over the ticks meanwhile instead of queueing flushes', async () => {
      let finish = () => {};
      const flush = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
      const flushes = startDigestFlushes(flush, 1_000, () => {});
      await vi.advanceTimersByTimeAsync(5_000);
      expect(flush).toHaveBeenCalledTimes(1);
      finish();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(flush).toHaveBeenCalledTimes(2);
      finish();
      await flushes.stop();
    });
  });

  describe('when a flush fails', () => {
    it('reports the error and flushes again at the next tick', async () => {
      const errors: unknown[] = [];
      const flush = vi.fn().mockRejectedValueOnce(new Error('smtp down')).mockResolvedValue(undefined);
      const flushes = startDigestFlushes(flush, 1_000, (error) => errors.push(error));
      await vi.advanceTimersByTimeAsync(2_000);
      expect(errors).toEqual([new Error('smtp down')]);
      expect(flush).toHaveBeenCalledTimes(2);
      await flushes.stop();
    });
  });

  describe('when stopped during a flush', () => {
    it('waits for that flush and starts no other', async () => {
      let finish = () => {};
      const flush = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
      const flushes = startDigestFlushes(flush, 1_000, () => {});
      await vi.advanceTimersByTimeAsync(1_000);
      let stopped = false;
      const stopping = flushes.stop().then(() => {
        stopped = true;
      });
      await vi.advanceTimersByTimeAsync(3_000);
      expect(stopped).toBe(false);
      finish();
      await stopping;
      expect(stopped).toBe(true);
      expect(flush).toHaveBeenCalledTimes(1);
    });
  });
});
