import { describe, expect, it } from 'vitest';
import { fetchPace } from './fetch-pace';

/**
 * A pace at 16 KB and 25 ms after fetches from leader 1, each 25 ms long, brought `perSecond` records for
 * `seconds`; `waitedOut` when each returned only as its wait ran out.
 */
function paceAfter(perSecond: number, seconds: number, start?: ReturnType<typeof paced>, waitedOut = false) {
  const run = start ?? paced();
  for (let step = 0; step < seconds * 40; step++) {
    run.pace.minBytes(1);
    run.clock.ms += 25;
    run.pace.received(1, perSecond / 40, waitedOut);
  }
  return run;
}

function paced(minBytes = 16_384) {
  const clock = { ms: 0 };
  return { clock, pace: fetchPace({ minBytes, maxWaitMs: 25, now: () => clock.ms }) };
}

describe('fetchPace', () => {
  it('starts eager: the first fetch returns at the first record', () => {
    expect(paced().pace.minBytes(1)).toBe(1);
  });

  describe('when a leader brings 1,000 records/s', () => {
    it('waits for the configured minimum after a second', () => {
      expect(paceAfter(1_000, 1).pace.minBytes(1)).toBe(16_384);
    });

    it('keeps other leaders eager until their own traffic says otherwise', () => {
      expect(paceAfter(1_000, 1).pace.minBytes(2)).toBe(1);
    });
  });

  describe('when a leader brings 100 records/s', () => {
    it('stays eager, since a 25 ms wait would gather two or three records', () => {
      expect(paceAfter(100, 5).pace.minBytes(1)).toBe(1);
    });

    it('turns eager again once a busy leader quietens down', () => {
      const busy = paceAfter(1_000, 2);
      expect(paceAfter(100, 2, busy).pace.minBytes(1)).toBe(1);
    });
  });

  describe('between the two thresholds (250 records/s)', () => {
    it('keeps batching once batching', () => {
      const busy = paceAfter(1_000, 2);
      expect(paceAfter(250, 5, busy).pace.minBytes(1)).toBe(16_384);
    });

    it('keeps eager once eager', () => {
      expect(paceAfter(250, 5).pace.minBytes(1)).toBe(1);
    });
  });

  it('judges nothing before a whole window has passed', () => {
    const run = paced();
    run.clock.ms += 500;
    run.pace.received(1, 100_000);
    expect(run.pace.minBytes(1)).toBe(1);
  });

  it('asks for 1 byte always when the configured minimum is 1', () => {
    const run = paced(1);
    expect(paceAfter(1_000, 2, run).pace.minBytes(1)).toBe(1);
  });

  describe('how long a fetch may wait', () => {
    it('waits long when every partition is in a fetch that returns at the first record', () => {
      expect(paced().pace.maxWaitMs(1, true)).toBe(500);
    });

    it('waits the configured time while a partition is out of the fetch', () => {
      expect(paced().pace.maxWaitMs(1, false)).toBe(25);
    });

    it('waits the configured time when batching, since a long wait would hold the records gathered', () => {
      expect(paceAfter(1_000, 1).pace.maxWaitMs(1, true)).toBe(25);
    });

    it('keeps a configured wait longer than the idle one', () => {
      const pace = fetchPace({ minBytes: 1, maxWaitMs: 2_000, now: () => 0 });
      expect(pace.maxWaitMs(1, true)).toBe(2_000);
    });
  });

  describe('whether a fetch is put off for the partitions that took a batch a moment ago', () => {
    describe("when a leader's fetches at 1,000 records/s return only as their wait runs out", () => {
      it('puts it off, so that they are in it rather than two waits later', () => {
        expect(paceAfter(1_000, 1, undefined, true).pace.gathers(1)).toBe(true);
      });

      it('stops once a fetch returns at its minimum, as in a backlog', () => {
        const run = paceAfter(1_000, 1, undefined, true);
        run.pace.received(1, 500, false);
        expect(run.pace.gathers(1)).toBe(false);
      });
    });

    it('does not where the records fill each fetch before its wait runs out (a backlog)', () => {
      expect(paceAfter(1_000, 1, undefined, false).pace.gathers(1)).toBe(false);
    });

    it('puts it off where the traffic is too thin to end a fetch soon (100 records/s)', () => {
      expect(paceAfter(100, 2).pace.gathers(1)).toBe(true);
    });

    it('does not at 250 records/s, where the next record ends a fetch soon anyway', () => {
      expect(paceAfter(250, 2).pace.gathers(1)).toBe(false);
    });

    it('does not where the pacing is off, as the retry tiers fetch', () => {
      expect(paceAfter(100, 2, paced(1)).pace.gathers(1)).toBe(false);
      expect(paceAfter(1_000, 2, paced(1), true).pace.gathers(1)).toBe(false);
    });
  });
});
