import { describe, expect, it } from 'vitest';
import { mergesAtOnce } from './recent-attempts';

describe('how many merges a flush runs at once', () => {
  it('merges one webhook at a time while one at a time finishes before the next flush', () => {
    expect([1, 40, 250].map(mergesAtOnce)).toEqual([1, 1, 1]);
  });

  it('adds a merge beside it for each further share of due webhooks', () => {
    expect([251, 500, 501, 1_000].map(mergesAtOnce)).toEqual([2, 2, 3, 4]);
  });

  it('runs at most eight at once, however many are due', () => {
    expect([2_000, 50_000].map(mergesAtOnce)).toEqual([8, 8]);
  });
});
