import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gatheredCommits, type PartitionOffset } from './gathered-commits';

interface Sent {
  at: number;
  offsets: PartitionOffset[];
  answer: (error?: Error) => void;
}

/** A committer whose requests the test answers by hand, on fake timers. */
function committer(intervalMs: number) {
  const sent: Sent[] = [];
  const errors: Array<{ error: unknown; partitions: number[] }> = [];
  const commits = gatheredCommits({
    intervalMs,
    send: (offsets) =>
      new Promise<void>((resolve, reject) => {
        sent.push({ at: Date.now(), offsets, answer: (error) => (error ? reject(error) : resolve()) });
      }),
    onError: (error, partitions) => errors.push({ error, partitions }),
  });
  return { commits, sent, errors };
}

const owned = () => true;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('when lanes make offsets durable while a commit is in flight', () => {
  it('sends them together in the next request, the newest offset of each partition', async () => {
    const { commits, sent } = committer(0);
    commits.add(0, 5n, owned);
    await vi.advanceTimersByTimeAsync(0);
    commits.add(1, 7n, owned);
    commits.add(0, 6n, owned);
    commits.add(0, 9n, owned);
    await vi.advanceTimersByTimeAsync(10);
    expect(sent).toHaveLength(1);
    sent[0]?.answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map(({ offsets }) => offsets)).toEqual([
      [{ partition: 0, offset: 5n }],
      [
        { partition: 1, offset: 7n },
        { partition: 0, offset: 9n },
      ],
    ]);
  });
});

describe('when the interval has not passed since the last request began', () => {
  /** A first commit sent and answered at once; another offset added `laterMs` after it began. */
  async function secondAfter(laterMs: number) {
    const { commits, sent } = committer(50);
    commits.add(0, 1n, owned);
    await vi.advanceTimersByTimeAsync(0);
    sent[0]?.answer();
    await vi.advanceTimersByTimeAsync(laterMs);
    commits.add(0, 2n, owned);
    return sent;
  }

  it('sends the next at the interval’s end, not before', async () => {
    const sent = await secondAfter(3);
    await vi.advanceTimersByTimeAsync(46);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map(({ at }) => at)).toEqual([0, 50]);
  });

  it('sends at once when the last began longer ago than the interval', async () => {
    const sent = await secondAfter(200);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map(({ at }) => at)).toEqual([0, 200]);
  });
});

describe('when a partition has gone to another member before its offset is sent', () => {
  it('leaves it out, and sends nothing if nothing else waits', async () => {
    const { commits, sent } = committer(0);
    let stillOurs = true;
    commits.add(0, 3n, () => stillOurs);
    commits.add(1, 4n, owned);
    stillOurs = false;
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map(({ offsets }) => offsets)).toEqual([[{ partition: 1, offset: 4n }]]);
    commits.add(2, 1n, () => false);
    sent[0]?.answer();
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(1);
  });
});

describe('when a commit fails', () => {
  it('reports it with its partitions and sends the next offsets all the same', async () => {
    const { commits, sent, errors } = committer(0);
    commits.add(0, 3n, owned);
    commits.add(1, 4n, owned);
    await vi.advanceTimersByTimeAsync(0);
    commits.add(0, 8n, owned);
    sent[0]?.answer(new Error('REBALANCE_IN_PROGRESS'));
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([{ error: new Error('REBALANCE_IN_PROGRESS'), partitions: [0, 1] }]);
    expect(sent[1]?.offsets).toEqual([{ partition: 0, offset: 8n }]);
  });
});

describe('when flushed, as a consumer stops', () => {
  it('sends what waits without waiting out the interval, and resolves once every request is answered', async () => {
    const { commits, sent } = committer(5_000);
    commits.add(0, 1n, owned);
    await vi.advanceTimersByTimeAsync(0);
    commits.add(0, 2n, owned);
    let flushed = false;
    const flushing = commits.flush().then(() => {
      flushed = true;
    });
    sent[0]?.answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map(({ offsets }) => offsets)).toEqual([
      [{ partition: 0, offset: 1n }],
      [{ partition: 0, offset: 2n }],
    ]);
    expect(flushed).toBe(false);
    sent[1]?.answer();
    await flushing;
    expect(flushed).toBe(true);
  });
});
