import { deliveryIdFor } from '@wms-webhooks/delivery';
import { describe, expect, it } from 'vitest';
import { failsFirstAttempt } from './bench-receiver';
import { hopTimes } from './hop-times';
import { balanceLedger } from './ledger';
import { dueCount, scheduledOffsetMs } from './load-generator';
import {
  askedRates,
  bestWindowRate,
  cpuMsPerDelivery,
  percentile,
  perSecond,
  slope,
  sustainedRate,
  wholeRunRate,
} from './stats';

describe('the ledger', () => {
  const expected = new Set(['a', 'b', 'c', 'd']);

  it('balances when every expected delivery is delivered, dead or in retry', () => {
    const ledger = balanceLedger({
      expected,
      delivered: new Set(['a', 'b']),
      deadLettered: new Set(['c']),
      retrying: new Set(['c', 'd']),
      duplicateRequests: 3,
    });
    expect(ledger).toEqual({
      expected: 4,
      delivered: 2,
      failedFinal: 1,
      stillInRetry: 1,
      missing: 0,
      unexpected: 0,
      duplicates: 3,
      balanced: true,
    });
  });

  it('is invalid when a delivery is missing', () => {
    const ledger = balanceLedger({
      expected,
      delivered: new Set(['a', 'b', 'c']),
      deadLettered: new Set(),
      retrying: new Set(),
      duplicateRequests: 0,
    });
    expect(ledger).toMatchObject({ missing: 1, balanced: false });
  });

  it('is invalid when a delivery arrives that no event should cause', () => {
    const ledger = balanceLedger({
      expected,
      delivered: new Set(['a', 'b', 'c', 'd', 'stray']),
      deadLettered: new Set(),
      retrying: new Set(),
      duplicateRequests: 0,
    });
    expect(ledger).toMatchObject({ unexpected: 1, balanced: false });
  });
});

describe('the statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, index) => index + 1);
    expect([percentile(samples, 50), percentile(samples, 99), percentile(samples, 100)]).toEqual([
      50, 99, 100,
    ]);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('buckets arrivals per second and trims ramp-up and drain from the sustained rate', () => {
    const arrivals = [
      ...Array.from({ length: 10 }, (_, index) => ({ at: 1_000 + index, latencyMs: 5 })),
      ...Array.from({ length: 100 }, (_, index) => ({ at: 2_000 + index, latencyMs: 10 })),
      ...Array.from({ length: 100 }, (_, index) => ({ at: 3_000 + index, latencyMs: 20 })),
      ...Array.from({ length: 10 }, (_, index) => ({ at: 4_000 + index, latencyMs: 5 })),
    ];
    const series = perSecond(arrivals, 1_000, 5_000);
    expect(series.map((bucket) => bucket.deliveries)).toEqual([10, 100, 100, 10]);
    expect(series[2]).toMatchObject({ p50Ms: 20, p99Ms: 20 });
    expect(sustainedRate(series, 1)).toBe(100);
  });

  it('gives a burst its whole-run rate, ramp and tail included', () => {
    const series = [0, 10, 100, 100, 100, 10, 0].map((deliveries, second) => ({
      second,
      deliveries,
      p50Ms: 0,
      p99Ms: 0,
    }));
    expect(sustainedRate(series, 1)).toBe(100);
    expect(wholeRunRate(series)).toBe(64);
  });

  it('asks for every delivery per second, and for fewer first attempts by the share the receiver fails', () => {
    const ids = Array.from({ length: 1_000 }, (_, index) => `delivery-${index}`);
    expect(askedRates(ids, 2, () => false)).toEqual({
      deliveriesPerSecond: 500,
      firstAttemptsPerSecond: 500,
    });
    expect(askedRates(ids, 2, (id) => id.endsWith('0'))).toEqual({
      deliveriesPerSecond: 500,
      firstAttemptsPerSecond: 450,
    });
  });

  it('finds the best run of consecutive seconds, and none in a run shorter than the window', () => {
    const series = [1, 5, 9, 9, 2].map((deliveries, second) => ({ second, deliveries, p50Ms: 0, p99Ms: 0 }));
    expect(bestWindowRate(series, 2)).toBe(9);
    expect(bestWindowRate(series, 5)).toBe(5.2);
    expect(bestWindowRate(series, 6)).toBeUndefined();
  });

  it('measures growth as a least-squares slope', () => {
    expect(slope([0, 1, 2, 3].map((x) => ({ x, y: 100 + 2 * x })))).toBeCloseTo(2);
    expect(slope([0, 1, 2, 3].map((x) => ({ x, y: 7 })))).toBe(0);
  });
});

describe('the bench options', async () => {
  const { parseBenchArgs } = await import('./presets');

  it('starts from the preset and applies overrides', () => {
    expect(parseBenchArgs(['--preset', 'scale-out', '--rate=500'])).toMatchObject({
      preset: 'scale-out',
      senders: 2,
      matchers: 2,
      rate: 500,
      keep: false,
    });
  });

  it('answers at once unless a receiver delay is asked for', () => {
    expect(parseBenchArgs(['--preset', 'throughput']).receiverDelayMs).toBe(0);
    expect(parseBenchArgs(['--receiver-delay-ms', '100']).receiverDelayMs).toBe(100);
  });

  it('names what is wrong', () => {
    expect(() => parseBenchArgs(['--preset', 'fast'])).toThrow(
      'unknown preset "fast"; known: smoke, throughput',
    );
    expect(() => parseBenchArgs(['--rate', 'lots'])).toThrow('--rate must be a number ≥ 0, not "lots"');
    expect(() => parseBenchArgs(['--speed', '1'])).toThrow('unknown option --speed');
    expect(parseBenchArgs(['--all-owner-concurrency', '8']).allOwnerConcurrency).toBe(8);
    expect(() => parseBenchArgs(['--all-owner-concurrency', '0'])).toThrow(
      '--all-owner-concurrency must be a whole number of at least 1',
    );
  });
});

describe('the receiver’s choice of failing deliveries', () => {
  const ids = Array.from({ length: 20_000 }, (_, index) => deliveryIdFor(`event-${index}`, 'webhook-1'));

  it('fails about the share asked', () => {
    for (const share of [0.01, 0.05, 0.5]) {
      const failing = ids.filter((id) => failsFirstAttempt(id, share)).length / ids.length;
      expect(Math.abs(failing - share)).toBeLessThan(share * 0.2);
    }
  });

  it('makes the same choice for an id every time, and none at share 0', () => {
    const chosen = ids.filter((id) => failsFirstAttempt(id, 0.05));
    expect(chosen.every((id) => failsFirstAttempt(id, 0.05))).toBe(true);
    expect(ids.some((id) => failsFirstAttempt(id, 0))).toBe(false);
  });
});

describe('CPU per delivery', () => {
  it('divides every process’s CPU time by the deliveries in the same window', () => {
    expect(cpuMsPerDelivery([{ cpuSeconds: 1.2 }, { cpuSeconds: 0.3 }, { cpuSeconds: 0 }], 5_000)).toBe(0.3);
  });

  it('has no figure without deliveries', () => {
    expect(cpuMsPerDelivery([{ cpuSeconds: 1 }], 0)).toBeUndefined();
  });
});

describe('the time of each hop', () => {
  it('splits a delivery between the generator, the ingester, the matcher and the sender', () => {
    const trail = (offset: number) => ({
      scheduledAt: offset,
      produced: offset + 2,
      ingested: offset + 9,
      matched: offset + 20,
      arrived: offset + 24,
    });
    const hops = hopTimes(Array.from({ length: 100 }, (_, index) => trail(index * 1_000)));
    expect(hops.count).toBe(100);
    expect(hops.generator.p99).toBe(2);
    expect(hops.ingester.p50).toBe(7);
    expect(hops.matcher.p95).toBe(11);
    expect(hops.sender.p99).toBe(4);
  });

  it('takes each hop’s percentiles on their own, not from the same deliveries', () => {
    const slowIngest = { scheduledAt: 0, produced: 0, ingested: 50, matched: 51, arrived: 52 };
    const slowSend = { scheduledAt: 0, produced: 0, ingested: 1, matched: 2, arrived: 52 };
    const hops = hopTimes([slowIngest, slowSend]);
    expect(hops.ingester.p99).toBe(50);
    expect(hops.sender.p99).toBe(50);
    expect(hops.matcher.p50).toBe(1);
  });
});

describe('the load generator’s schedule', () => {
  for (const rate of [100, 1_000, 1_062]) {
    it(`sends each event at ${rate}/s from its scheduled time on, not an interval later`, () => {
      const plan = { events: 5_000, rate };
      for (let index = 0; index < plan.events; index++) {
        const scheduled = scheduledOffsetMs(index, rate);
        expect(dueCount(scheduled, plan), `event ${index} at its time`).toBeGreaterThan(index);
        if (scheduled > 0)
          expect(dueCount(scheduled - 1, plan), `event ${index} before it`).toBeLessThanOrEqual(index);
      }
    });
  }

  it('never counts more events than the plan has', () => {
    expect(dueCount(60_000, { events: 100, rate: 100 })).toBe(100);
  });
});
