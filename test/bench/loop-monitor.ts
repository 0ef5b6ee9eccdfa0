import { type ELDHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The bench's own event loop. The generator and the receiver share it, so a stall here delays both the
 * produce and the receiver's timestamp, and would pass for pipeline latency. Keeps each second's longest
 * delay from `measureFrom` on.
 */
export class LoopMonitor {
  private readonly histogram: ELDHistogram = monitorEventLoopDelay({ resolution: 10 });
  private timer: NodeJS.Timeout | undefined;
  private seconds: Array<{ at: number; maxMs: number }> = [];
  private from = Date.now();

  constructor(private readonly thresholdMs = 100) {}

  start() {
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.seconds.push({ at: Date.now(), maxMs: Math.round(this.histogram.max / 1e6) });
      this.histogram.reset();
    }, 1_000);
  }

  /** Set-up and warm-up before this do not count. */
  measureFrom(at: number) {
    this.from = at;
    this.seconds = [];
    this.histogram.reset();
  }

  stop() {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  /** The longest delay, and each second with one of at least the threshold: [second of the run, ms]. */
  summary() {
    return {
      thresholdMs: this.thresholdMs,
      worstMs: Math.max(0, ...this.seconds.map((second) => second.maxMs)),
      stalls: this.seconds
        .filter((second) => second.maxMs >= this.thresholdMs)
        .map((second) => [Math.floor((second.at - this.from) / 1000), second.maxMs] as const),
    };
  }
}
