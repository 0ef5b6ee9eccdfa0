import { describe, expect, it } from 'vitest';
import { newApiKey } from './api-key-repository';
import { estimatedKeyBits, minimumKeyBits } from './api-key-strength';

describe('estimatedKeyBits', () => {
  it.each(['abcdefghijklmnop', 'test-admin-key-0123456789', 'a'.repeat(200), 'password'.repeat(8)])(
    'scores %s below the minimum',
    (key) => {
      expect(estimatedKeyBits(key)).toBeLessThan(minimumKeyBits);
    },
  );

  it('scores generated keys well above it', () => {
    const hex = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
    expect(estimatedKeyBits(hex)).toBeGreaterThan(200);
    expect(estimatedKeyBits(newApiKey())).toBeGreaterThan(200);
  });
});
