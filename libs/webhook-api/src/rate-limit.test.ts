import { describe, expect, it } from 'vitest';
import { clientKey, WindowCounter } from './rate-limit';

describe('WindowCounter', () => {
  it('allows the limit within a minute, then names the seconds left in it', () => {
    const counter = new WindowCounter(2);
    const start = 120_000;
    expect(counter.take(['owner:1'], start)).toBeUndefined();
    expect(counter.take(['owner:1'], start + 1_000)).toBeUndefined();
    expect(counter.take(['owner:1'], start + 15_000)).toBe(45);
    expect(counter.take(['owner:2'], start + 15_000)).toBeUndefined();
  });

  it('starts again when the minute turns', () => {
    const counter = new WindowCounter(1);
    expect(counter.take(['a'], 59_000)).toBeUndefined();
    expect(counter.take(['a'], 59_500)).toBe(1);
    expect(counter.take(['a'], 60_000)).toBeUndefined();
  });

  it('counts nothing when any of several keys is used up', () => {
    const counter = new WindowCounter(1);
    counter.take(['owner:1'], 0);
    expect(counter.take(['owner:2', 'owner:1'], 0)).toBe(60);
    expect(counter.take(['owner:2'], 0)).toBeUndefined();
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
