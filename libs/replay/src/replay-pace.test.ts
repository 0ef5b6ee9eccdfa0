import { describe, expect, it } from 'vitest';
import { replayPace } from './replay-pace';

describe('the replay pace', () => {
  it('lets a tenth of a second of deliveries go at once, then spaces the rest at the rate', () => {
    let time = 0;
    const pace = replayPace(100, () => time);
    const waits = Array.from({ length: 12 }, () => pace.take());
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits[10]).toBeCloseTo(10);
    expect(waits[11]).toBeCloseTo(20);
    time = 1_000;
    expect(pace.take()).toBe(0);
  });

  it('shares the rate between replays taking turns', () => {
    let time = 0;
    const pace = replayPace(2, () => time);
    expect(pace.take()).toBe(0);
    expect(pace.take()).toBeCloseTo(500);
    expect(pace.take()).toBeCloseTo(1_000);
    time = 1_000;
    expect(pace.take()).toBeCloseTo(500);
  });
});
