import { deflateRawSync } from 'node:zlib';

/**
 * How much randomness a key seems to carry: the lesser of its length times the Shannon entropy of its
 * characters, and its size compressed. It cannot prove a key random, but it refuses short keys, words and
 * repeats; a key from `openssl rand -hex 32` or `newApiKey` scores over 200.
 */
export function estimatedKeyBits(key: string): number {
  const counts = new Map<string, number>();
  for (const character of key) counts.set(character, (counts.get(character) ?? 0) + 1);
  let perCharacter = 0;
  for (const count of counts.values()) {
    const share = count / key.length;
    perCharacter -= share * Math.log2(share);
  }
  const compressedBits = deflateRawSync(key, { level: 9 }).length * 8;
  return Math.floor(Math.min(perCharacter * key.length, compressedBits));
}

export const minimumKeyBits = 128;
