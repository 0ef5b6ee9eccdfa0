import { describe, expect, it } from 'vitest';
import {
  byLeader,
  everyLaneInFetch,
  type Lane,
  lanesToFetch,
  orderedCommits,
  workingUntil,
} from './lane-plan';

/** A lane at offset 0; `placed: false` for one whose committed offset is not known yet. */
const lane = (partition: number, state: Lane['state'], placed = true): Lane => ({
  partition,
  claim: partition + 1,
  state,
  ...(placed ? { position: 0n } : {}),
});

describe('lanesToFetch', () => {
  it('takes idle lanes whose position is known, as many as the busy ones leave room for', () => {
    const lanes = [
      lane(0, 'busy'),
      lane(1, 'idle'),
      lane(2, 'idle', false),
      lane(3, 'held'),
      lane(4, 'idle'),
      lane(5, 'idle'),
    ];
    expect(lanesToFetch(lanes, 3).map((chosen) => chosen.partition)).toEqual([1, 4]);
  });

  it('takes none while every slot is busy', () => {
    expect(lanesToFetch([lane(0, 'busy'), lane(1, 'busy'), lane(2, 'idle')], 2)).toEqual([]);
  });
});

describe('everyLaneInFetch', () => {
  it('says so when every lane is in a fetch', () => {
    expect(everyLaneInFetch([lane(0, 'fetching'), lane(1, 'fetching')])).toBe(true);
  });

  it('says not when a lane works, is held or idles', () => {
    for (const state of ['busy', 'held', 'idle'] as const)
      expect(everyLaneInFetch([lane(0, state), lane(1, 'fetching')]), state).toBe(false);
  });
});

describe('workingUntil', () => {
  const now = 10_000;
  const working = (partition: number, busyForMs: number): Lane => ({
    ...lane(partition, 'busy'),
    busySince: now - busyForMs,
  });
  const leaders: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 1 };

  it('gives each leader the time its last lane that took a batch a moment ago stops counting as about to free up', () => {
    const lanes = [working(0, 10), working(1, 3), working(2, 20), lane(3, 'idle')];
    expect(workingUntil(lanes, (p) => leaders[p], now)).toEqual(
      new Map([
        [1, now - 3 + 25],
        [2, now - 20 + 25],
      ]),
    );
  });

  it('leaves out lanes busy for long, held, idle or fetching, and partitions without a leader', () => {
    const lanes = [working(0, 5_000), lane(1, 'held'), lane(2, 'idle'), lane(4, 'fetching'), working(9, 1)];
    expect(workingUntil(lanes, (p) => leaders[p], now).size).toBe(0);
  });
});

describe('byLeader', () => {
  const leaders: Record<number, number> = { 0: 1, 1: 2, 2: 1, 3: -1 };

  it('groups lanes by their leader, one fetch per leader', () => {
    const grouped = byLeader(
      [lane(0, 'idle'), lane(1, 'idle'), lane(2, 'idle')],
      (p) => leaders[p],
      new Set(),
    );
    expect([...grouped].map(([node, lanes]) => [node, lanes.map((l) => l.partition)])).toEqual([
      [1, [0, 2]],
      [2, [1]],
    ]);
  });

  it('leaves out a partition without a leader, and a leader already being fetched from', () => {
    const grouped = byLeader(
      [lane(0, 'idle'), lane(1, 'idle'), lane(3, 'idle'), lane(9, 'idle')],
      (p) => leaders[p],
      new Set([1]),
    );
    expect([...grouped.keys()]).toEqual([2]);
  });
});

describe('orderedCommits', () => {
  it("commits a partition's batches in order, each once it is durable", async () => {
    const commits = orderedCommits();
    const committed: string[] = [];
    let finishFirst: (done: boolean) => void = () => {};
    const first = new Promise<boolean>((resolve) => {
      finishFirst = resolve;
    });
    void commits.after(
      0,
      () => first,
      async () => void committed.push('first'),
    );
    const second = commits.after(
      0,
      async () => true,
      async () => void committed.push('second'),
    );
    void commits.after(
      1,
      async () => true,
      async () => void committed.push('other partition'),
    );
    await Promise.resolve();
    await Promise.resolve();
    expect(committed).toEqual(['other partition']);
    finishFirst(true);
    expect(await second).toBe(true);
    await Promise.all(commits.pending());
    expect(committed).toEqual(['other partition', 'first', 'second']);
  });

  describe('when a batch never becomes durable', () => {
    it('commits neither it nor the batches queued after it', async () => {
      const commits = orderedCommits();
      const committed: string[] = [];
      void commits.after(
        0,
        async () => false,
        async () => void committed.push('lost'),
      );
      void commits.after(
        0,
        async () => true,
        async () => void committed.push('after'),
      );
      await Promise.all(commits.pending());
      expect(committed).toEqual([]);
    });
  });
});
