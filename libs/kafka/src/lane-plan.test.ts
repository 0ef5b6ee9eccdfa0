import { describe, expect, it, vi } from 'vitest';
import type { ConsumedRecord } from './consumed-record';
import {
  byLeader,
  everyLaneInFetch,
  type Lane,
  lanesToFetch,
  latestPerPartition,
  orderedCommits,
  takeAhead,
} from './lane-plan';

/** A lane at offset 0; `placed: false` for one whose committed offset is not known yet. */
const lane = (partition: number, state: Lane['state'], placed = true): Lane => ({
  partition,
  claim: partition + 1,
  state,
  ...(placed ? { position: 0n } : {}),
});

describe('lanesToFetch', () => {
  const partitions = (fetches: ReturnType<typeof lanesToFetch>) => fetches.map(({ lane }) => lane.partition);

  it('takes idle lanes whose position is known, as many as the busy ones leave room for', () => {
    const lanes = [
      lane(0, 'busy'),
      lane(1, 'idle'),
      lane(2, 'idle', false),
      lane(3, 'held'),
      lane(4, 'idle'),
      lane(5, 'idle'),
    ];
    expect(partitions(lanesToFetch(lanes, 3))).toEqual([1, 4]);
  });

  it('takes none while every slot is busy', () => {
    expect(lanesToFetch([lane(0, 'busy'), lane(1, 'busy'), lane(2, 'idle')], 2)).toEqual([]);
  });

  describe('when batches are fetched ahead', () => {
    const working = (partition: number, ahead?: Lane['ahead']): Lane => ({
      ...lane(partition, 'busy'),
      aheadFrom: 10n,
      ...(ahead ? { ahead } : {}),
    });

    it('fetches a busy lane from the offset after its batch, beside the idle ones', () => {
      expect(lanesToFetch([working(0), lane(1, 'idle')], 2, true)).toEqual([
        { lane: lane(1, 'idle'), from: 0n, ahead: false },
        { lane: working(0), from: 10n, ahead: true },
      ]);
    });

    it('leaves out a busy lane whose next batch is in a fetch or waiting for it', () => {
      const fetched = { from: 10n, records: [] };
      expect(lanesToFetch([working(0, 'fetching'), working(1, fetched)], 12, true)).toEqual([]);
    });

    it('fetches no busy lane ahead where that is off', () => {
      expect(lanesToFetch([working(0)], 12, false)).toEqual([]);
    });
  });
});

describe('everyLaneInFetch', () => {
  it('says so when every lane, or its next batch, is in a fetch', () => {
    expect(everyLaneInFetch([lane(0, 'fetching'), { ...lane(1, 'busy'), ahead: 'fetching' }])).toBe(true);
  });

  it('says not when a lane works on without a fetch for its next batch, is held or idles', () => {
    for (const state of ['busy', 'held', 'idle'] as const)
      expect(everyLaneInFetch([lane(0, state), lane(1, 'fetching')]), state).toBe(false);
    const waiting: Lane = { ...lane(0, 'busy'), ahead: { from: 1n, records: [] } };
    expect(everyLaneInFetch([waiting, lane(1, 'fetching')])).toBe(false);
  });
});

describe('takeAhead', () => {
  const record = { offset: '3' } as ConsumedRecord;
  const withAhead = (position: bigint): Lane => ({
    ...lane(0, 'busy'),
    position,
    ahead: { from: 3n, records: [record] },
  });

  it('hands over the batch fetched ahead when it goes on from where the lane stands', () => {
    const freed = withAhead(3n);
    expect(takeAhead(freed)).toEqual([record]);
    expect(freed.ahead).toBeUndefined();
  });

  it('lets it go when the lane stands elsewhere, as after holding records back', () => {
    const freed = withAhead(2n);
    expect(takeAhead(freed)).toBeUndefined();
    expect(freed.ahead).toBeUndefined();
  });

  it('leaves a fetch still in flight alone', () => {
    const freed: Lane = { ...lane(0, 'busy'), ahead: 'fetching' };
    expect(takeAhead(freed)).toBeUndefined();
    expect(freed.ahead).toBe('fetching');
  });
});

describe('byLeader', () => {
  const leaders: Record<number, number> = { 0: 1, 1: 2, 2: 1, 3: -1 };

  it('groups lanes by their leader, one fetch per leader', () => {
    const grouped = byLeader(
      [lane(0, 'idle'), lane(1, 'idle'), lane(2, 'idle')].map((idle) => ({
        lane: idle,
        from: 0n,
        ahead: false,
      })),
      (p) => leaders[p],
      new Set(),
    );
    expect([...grouped].map(([node, lanes]) => [node, lanes.map((l) => l.lane.partition)])).toEqual([
      [1, [0, 2]],
      [2, [1]],
    ]);
  });

  it('leaves out a partition without a leader, and a leader already being fetched from', () => {
    const grouped = byLeader(
      [lane(0, 'idle'), lane(1, 'idle'), lane(3, 'idle'), lane(9, 'idle')].map((idle) => ({
        lane: idle,
        from: 0n,
        ahead: false,
      })),
      (p) => leaders[p],
      new Set([1]),
    );
    expect([...grouped.keys()]).toEqual([2]);
  });
});

describe('latestPerPartition', () => {
  it('keeps the last offset queued for each partition, one entry per partition', () => {
    expect(
      latestPerPartition([
        { topic: 'deliveries', partition: 0, offset: '10' },
        { topic: 'deliveries', partition: 1, offset: '7' },
        { topic: 'deliveries', partition: 0, offset: '12' },
        { topic: 'retries', partition: 0, offset: '3' },
      ]),
    ).toEqual([
      { topic: 'deliveries', partition: 0, offset: '12' },
      { topic: 'deliveries', partition: 1, offset: '7' },
      { topic: 'retries', partition: 0, offset: '3' },
    ]);
  });
});

describe('orderedCommits', () => {
  it("commits a partition's batches in order, each once it is durable", async () => {
    const commits = orderedCommits(1);
    const committed: string[] = [];
    let finishFirst: (done: boolean) => void = () => {};
    const first = new Promise<boolean>((resolve) => {
      finishFirst = resolve;
    });
    void commits.after(
      0,
      1,
      () => first,
      async () => void committed.push('first'),
    );
    let secondMayGoOn = false;
    void commits
      .after(
        0,
        1,
        async () => true,
        async () => void committed.push('second'),
      )
      .then(() => {
        secondMayGoOn = true;
      });
    void commits.after(
      1,
      1,
      async () => true,
      async () => void committed.push('other partition'),
    );
    await Promise.resolve();
    await Promise.resolve();
    expect(committed).toEqual(['other partition']);
    expect(secondMayGoOn).toBe(false);
    finishFirst(true);
    await vi.waitFor(() => expect(secondMayGoOn).toBe(true));
    await Promise.all(commits.pending());
    expect(committed).toEqual(['other partition', 'first', 'second']);
  });

  it('finishes each batch at once, without waiting for the commit of the one before', async () => {
    const commits = orderedCommits(1);
    let commitFirst: () => void = () => {};
    const firstCommitted = new Promise<void>((resolve) => {
      commitFirst = resolve;
    });
    const finishing: string[] = [];
    void commits.after(
      0,
      1,
      async () => {
        finishing.push('first');
        return true;
      },
      () => firstCommitted,
    );
    const second = commits.after(
      0,
      1,
      async () => {
        finishing.push('second');
        return true;
      },
      async () => undefined,
    );
    expect(finishing).toEqual(['first', 'second']);
    commitFirst();
    await second;
    await Promise.all(commits.pending());
  });

  describe('when a batch never becomes durable', () => {
    it('commits neither it nor the batches queued after it', async () => {
      const commits = orderedCommits(1);
      const committed: string[] = [];
      void commits.after(
        0,
        1,
        async () => false,
        async () => void committed.push('lost'),
      );
      void commits.after(
        0,
        1,
        async () => true,
        async () => void committed.push('after'),
      );
      await Promise.all(commits.pending());
      expect(committed).toEqual([]);
    });
  });
  describe('while the batches still finishing hold fewer records than the most', () => {
    /** A batch of `records` whose finish waits for the test; resolves `goesOn` once the lane may go on. */
    const queueBatch = (commits: ReturnType<typeof orderedCommits>, records: number) => {
      let finish: (done: boolean) => void = () => {};
      const finished = new Promise<boolean>((resolve) => {
        finish = resolve;
      });
      const batch = { finish, goesOn: false };
      void commits
        .after(
          0,
          records,
          () => finished,
          async () => undefined,
        )
        .then(() => {
          batch.goesOn = true;
        });
      return batch;
    };

    it('lets the lane take more batches, and holds it once they would hold the most', async () => {
      const commits = orderedCommits(10);
      const first = queueBatch(commits, 3);
      const second = queueBatch(commits, 3);
      const third = queueBatch(commits, 5);
      await vi.waitFor(() => expect(second.goesOn).toBe(true));
      expect(first.goesOn).toBe(true);
      expect(third.goesOn).toBe(false);

      first.finish(true);
      await vi.waitFor(() => expect(third.goesOn).toBe(true));
    });

    it('holds the lane after a batch as large as the most until the batches before it finish', async () => {
      const commits = orderedCommits(10);
      const large = queueBatch(commits, 20);
      const next = queueBatch(commits, 1);
      await vi.waitFor(() => expect(large.goesOn).toBe(true));
      expect(next.goesOn).toBe(false);

      large.finish(true);
      await vi.waitFor(() => expect(next.goesOn).toBe(true));
    });
  });
});
