import { describe, expect, it } from 'vitest';
import { clientKey, RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('allows a burst of the limit, then names the seconds until the next', () => {
    const limiter = new RateLimiter(2);
    expect(limiter.take(['owner:1'], 0)).toBeUndefined();
    expect(limiter.take(['owner:1'], 100)).toBeUndefined();
    expect(limiter.take(['owner:1'], 200)).toBe(30);
    expect(limiter.take(['owner:2'], 200)).toBeUndefined();
  });

  it('refills one every 60/limit seconds, up to the limit', () => {
    const limiter = new RateLimiter(2);
    limiter.take(['a'], 0);
    limiter.take(['a'], 0);
    expect(limiter.take(['a'], 29_000)).toBe(1);
    expect(limiter.take(['a'], 30_000)).toBeUndefined();
    expect(limiter.take(['a'], 30_000)).toBe(30);
    expect(limiter.take(['a'], 600_000)).toBeUndefined();
    expect(limiter.take(['a'], 600_000)).toBeUndefined();
    expect(limiter.take(['a'], 600_000)).toBe(30);
  });

  it('spends nothing when any of several keys is used up', () => {
    const limiter = new RateLimiter(1);
    limiter.take(['owner:1'], 0);
    expect(limiter.take(['owner:2', 'owner:1'], 0)).toBe(60);
    expect(limiter.take(['owner:2'], 0)).toBeUndefined();
  });
});

describe('clientKey', () => {
  it('counts IPv6 clients by their /64, and IPv4 by address', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('2001::1:2:3:4:5:6')).toBe('2001:0:1:2::/64');
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('::ffff:203.0.113.9')).toBe('::ffff:203.0.113.9');
  });
});
