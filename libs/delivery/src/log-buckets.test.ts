import { describe, expect, it } from 'vitest';
import { bucketEnd, bucketFor, bucketSpanFor, parseBucket, retentionMsOf } from './log-buckets';

const minute = 60_000;
const hour = 60 * minute;

describe('the attempt log’s time buckets', () => {
  it('are an hour at the default retention of 30 days', () => {
    expect(bucketSpanFor(retentionMsOf(30))).toBe(hour);
  });

  it('split a shorter retention into at least 24', () => {
    expect(bucketSpanFor(retentionMsOf(1))).toBe(hour);
    expect(bucketSpanFor(6 * hour)).toBe(15 * minute);
    expect(bucketSpanFor(2 * hour)).toBe(5 * minute);
  });

  it('are a minute at the least, for a retention of minutes', () => {
    expect(bucketSpanFor(10 * minute)).toBe(minute);
  });

  it('name a bucket by its span and start, and read the name back', () => {
    const time = Date.UTC(2026, 11, 2, 9, 41, 7);
    const bucket = bucketFor(time, hour);
    expect(bucket).toEqual({
      name: `delivery_attempts.60m.${Date.UTC(2026, 11, 2, 9)}`,
      start: Date.UTC(2026, 11, 2, 9),
      spanMs: hour,
    });
    expect(parseBucket(bucket.name)).toEqual(bucket);
    expect(bucketEnd(bucket)).toBe(Date.UTC(2026, 11, 2, 10));
  });

  it('ignore every other collection', () => {
    for (const name of [
      'delivery_attempts',
      'delivery_attempts.probe',
      'webhook_activity',
      'delivery_attempts.60m.x',
    ])
      expect(parseBucket(name)).toBeUndefined();
  });
});
