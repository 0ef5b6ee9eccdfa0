import { readFileSync } from 'node:fs';

const ticksPerSecond = 100;

export interface ProcessSample {
  at: number;
  cpuSeconds: number;
  rssBytes: number;
}

/** A process's CPU time so far (user and system), in seconds, from /proc; throws if it is not running. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function read(pid: number): Omit<ProcessSample, 'at'> | undefined {
  try {
    const cpuSeconds = cpuSecondsOf(pid);
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { cpuSeconds, rssBytes: Number(rss ?? 0) * 1024 };
  } catch {
    return undefined;
  }
}

/** CPU time and resident memory of named processes, from /proc, once a second. */
export class ProcessSampler {
  readonly samples = new Map<string, ProcessSample[]>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly pids: ReadonlyMap<string, number>) {}

  start(intervalMs = 1_000) {
    const sample = () => {
      const at = Date.now();
      for (const [name, pid] of this.pids) {
        const reading = read(pid);
        if (reading) this.samples.set(name, [...(this.samples.get(name) ?? []), { at, ...reading }]);
      }
    };
    sample();
    this.timer = setInterval(sample, intervalMs);
  }

  stop() {
    clearInterval(this.timer);
  }

  /**
   * Per process: CPU seconds and share of one core between two times, peak RSS, and the second half's RSS samples
   * for the memory trend (the first half holds start-up: JIT, caches and pools filling).
   */
  summary(from: number, to: number) {
    return [...this.samples].map(([name, samples]) => {
      const inWindow = samples.filter((sample) => sample.at >= from && sample.at <= to);
      const first = inWindow[0];
      const last = inWindow[inWindow.length - 1];
      const cpuPercent =
        first && last && last.at > first.at
          ? (100 * (last.cpuSeconds - first.cpuSeconds)) / ((last.at - first.at) / 1000)
          : 0;
      return {
        name,
        cpuSeconds: first && last ? last.cpuSeconds - first.cpuSeconds : 0,
        cpuPercent: Math.round(cpuPercent),
        peakRssMb: Math.round(Math.max(0, ...samples.map((sample) => sample.rssBytes)) / 2 ** 20),
        rssMb: inWindow
          .filter((sample) => sample.at >= from + (to - from) / 2)
          .map((sample) => ({ x: (sample.at - from) / 1000, y: sample.rssBytes / 2 ** 20 })),
      };
    });
  }
}
