import { describe, expect, it } from 'vitest';
import { deliveryHash, idsInclude } from './log-pages';

describe('a chunk’s delivery hashes', () => {
  const ids = ['d-1', 'd-2', 'd-3'].map(deliveryHash).join('');

  it('hash each delivery id to eight hex digits', () => {
    expect(deliveryHash('8f14e45f-ceea-867a-8b3f-aa51f0b3c5e1')).toMatch(/^[0-9a-f]{8}$/);
    expect(deliveryHash('d-1')).not.toBe(deliveryHash('d-2'));
  });

  it('name a delivery whose hash is a row’s', () => {
    expect(idsInclude(ids, deliveryHash('d-3'))).toBe(true);
  });

  it('do not name a delivery whose hash spans two rows', () => {
    const across = ids.slice(4, 12);
    expect(ids.includes(across)).toBe(true);
    expect(idsInclude(ids, across)).toBe(false);
  });
});
