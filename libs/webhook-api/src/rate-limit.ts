import { isIPv6 } from 'node:net';
import { ipv6Groups } from '@wms-webhooks/target-guard';

/**
 * A token bucket per key: a burst of `perMinute`, then one more every 60/perMinute seconds. Kept in this
 * process's memory, so N api replicas allow up to N times a limit. Buckets that have refilled are
 * dropped, at most once a second, once there are many.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private sweptAt = 0;

  constructor(readonly perMinute: number) {}

  private level(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.perMinute;
    return Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
  }

  /** Seconds until the key may act again, if it has used up its limit; undefined if it may now. */
  exhausted(key: string, now: number): number | undefined {
    const level = this.level(key, now);
    if (level >= 1) return undefined;
    return Math.max(1, Math.ceil(((1 - level) * 60) / this.perMinute));
  }

  spend(key: string, now: number) {
    this.buckets.set(key, { tokens: this.level(key, now) - 1, at: now });
    if (this.buckets.size > 10_000 && now - this.sweptAt > 1_000) {
      this.sweptAt = now;
      for (const held of this.buckets.keys()) {
        if (this.level(held, now) >= this.perMinute) this.buckets.delete(held);
      }
    }
  }

  /** Spends one for every key if each has one; else the seconds to wait, spending nothing. */
  take(keys: readonly string[], now: number): number | undefined {
    const waits = keys.map((key) => this.exhausted(key, now)).filter((wait) => wait !== undefined);
    if (waits.length > 0) return Math.max(...waits);
    for (const key of keys) this.spend(key, now);
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
