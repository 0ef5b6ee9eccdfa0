import { describe, expect, it } from 'vitest';
import { LoopMonitor } from './loop-monitor';

function blockFor(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Holds the event loop, as a long synchronous task in the generator or receiver would.
  }
}

describe('LoopMonitor', () => {
  it('reports a second in which the event loop was held past the threshold', async () => {
    const monitor = new LoopMonitor(100);
    monitor.start();
    monitor.measureFrom(Date.now());
    await new Promise((tick) => setTimeout(tick, 50));
    blockFor(250);
    while (monitor.summary().stalls.length === 0) await new Promise((tick) => setTimeout(tick, 100));
    monitor.stop();
    const summary = monitor.summary();
    expect(summary.worstMs).toBeGreaterThanOrEqual(200);
    expect(summary.stalls[0]?.[1]).toBeGreaterThanOrEqual(200);
  });
});
