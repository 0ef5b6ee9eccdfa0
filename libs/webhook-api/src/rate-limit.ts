import { isIPv6 } from 'node:net';
import { ipv6Groups } from '@wms-webhooks/target-guard';

/**
 * Counts per key in fixed windows (a minute by default), in this process's memory: each api replica
 * keeps its own, so N replicas allow up to N times a limit. The map is emptied as each window ends.
 */
export class WindowCounter {
  private window = -1;
  private readonly counts = new Map<string, number>();

  constructor(
    readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  private roll(now: number) {
    const window = Math.floor(now / this.windowMs);
    if (window === this.window) return;
    this.window = window;
    this.counts.clear();
  }

  /** Seconds until the key may act again, if it has used up its limit; undefined if it may now. */
  exhausted(key: string, now: number): number | undefined {
    this.roll(now);
    if ((this.counts.get(key) ?? 0) < this.limit) return undefined;
    return Math.max(1, Math.ceil(((this.window + 1) * this.windowMs - now) / 1000));
  }

  add(key: string, now: number) {
    this.roll(now);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Counts one for every key if none has used up its limit; else the seconds to wait, counting nothing. */
  take(keys: readonly string[], now: number): number | undefined {
    const waits = keys.map((key) => this.exhausted(key, now)).filter((wait) => wait !== undefined);
    if (waits.length > 0) return Math.max(...waits);
    for (const key of keys) this.add(key, now);
    return undefined;
  }
}

/** The client an address stands for: an IPv6 host usually holds a whole /64, so that is what is counted. */
export function clientKey(address: string): string {
  if (!isIPv6(address) || address.toLowerCase().startsWith('::ffff:')) return address;
  const prefix = ipv6Groups(address)
    .slice(0, 4)
    .map((group) => group.toString(16));
  return `${prefix.join(':')}::/64`;
}
