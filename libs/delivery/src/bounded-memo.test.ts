import { describe, expect, it } from 'vitest';
import { boundedMemo } from './bounded-memo';

describe('boundedMemo', () => {
  it('computes each key once while it is held', () => {
    const computed: string[] = [];
    const length = boundedMemo((key) => {
      computed.push(key);
      return key.length;
    });
    expect([length('a'), length('bb'), length('a'), length('bb')]).toEqual([1, 2, 1, 2]);
    expect(computed).toEqual(['a', 'bb']);
  });

  it('remembers an undefined result too', () => {
    let calls = 0;
    const nothing = boundedMemo(() => {
      calls += 1;
      return undefined;
    });
    nothing('x');
    nothing('x');
    expect(calls).toBe(1);
  });

  it('forgets everything once full, so its memory stays bounded', () => {
    const computed: string[] = [];
    const upper = boundedMemo((key) => {
      computed.push(key);
      return key.toUpperCase();
    }, 2);
    upper('a');
    upper('b');
    upper('c');
    upper('a');
    expect(computed).toEqual(['a', 'b', 'c', 'a']);
  });
});
