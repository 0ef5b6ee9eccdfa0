import { describe, expect, it } from 'vitest';
import { loadSecretBox, newSecretKey, parseKeyring } from './keyring';
import { SecretBox } from './secret-box';

const oldKey = newSecretKey('k1');
const newKey = newSecretKey('k2');

describe('SecretBox', () => {
  const box = new SecretBox(parseKeyring(oldKey));

  it('round-trips a secret and hides it in the sealed form', () => {
    const sealed = box.seal('hunter2', 'hook-1:auth.password');
    expect(sealed).toMatch(/^enc:v1:k1:/);
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed, 'hook-1:auth.password')).toBe('hunter2');
  });

  it('seals the same secret differently each time', () => {
    expect(box.seal('same', 'c')).not.toBe(box.seal('same', 'c'));
  });

  it('refuses a sealed value moved to another record or field', () => {
    const sealed = box.seal('hunter2', 'hook-1:auth.password');
    expect(() => box.open(sealed, 'hook-2:auth.password')).toThrow('failed authentication');
  });

  it('refuses a value that is not encrypted, naming the migration', () => {
    expect(() => box.open('plain-token', 'hook-1:auth.token')).toThrow('is not encrypted');
  });

  it('refuses a sealed value whose tag was cut short, though GCM would check the bytes left', () => {
    const parts = box.seal('hunter2', 'c').split(':');
    parts[4] = Buffer.from(parts[4] as string, 'base64url')
      .subarray(0, 12)
      .toString('base64url');
    expect(() => box.open(parts.join(':'), 'c')).toThrow('tag of 12 bytes; a sealed value has 16');
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = box.seal('hunter2', 'c');
    const parts = sealed.split(':');
    const ciphertext = Buffer.from(parts.at(-1) as string, 'base64url');
    ciphertext[0] = (ciphertext[0] as number) ^ 0x01;
    const tampered = [...parts.slice(0, -1), ciphertext.toString('base64url')].join(':');
    expect(tampered).not.toBe(sealed);
    expect(() => box.open(tampered, 'c')).toThrow('failed authentication');
  });

  describe('when the key is rotated', () => {
    const rotated = new SecretBox(parseKeyring(`${newKey},${oldKey}`));

    it('opens what the old key sealed and asks for it to be re-sealed', () => {
      const sealed = box.seal('token', 'c');
      expect(rotated.open(sealed, 'c')).toBe('token');
      expect(rotated.needsReseal(sealed)).toBe(true);
      expect(rotated.needsReseal(rotated.seal('token', 'c'))).toBe(false);
    });

    it('names the missing key once the old one is dropped', () => {
      const sealed = box.seal('token', 'c');
      expect(() => new SecretBox(parseKeyring(newKey)).open(sealed, 'c')).toThrow('key "k1"');
    });
  });
});

describe('loadSecretBox', () => {
  it('names WEBHOOKS_SECRET_KEYS when no key is configured', () => {
    expect(() => loadSecretBox({})).toThrow(/WEBHOOKS_SECRET_KEYS: is required/);
  });

  it('says how long the key must be', () => {
    expect(() => loadSecretBox({ WEBHOOKS_SECRET_KEYS: 'k1:c2hvcnQ=' })).toThrow(/5 bytes; AES-256 needs 32/);
  });

  it('names WEBHOOKS_SECRET_KEY_FILE when the file is unreadable', () => {
    expect(() => loadSecretBox({ WEBHOOKS_SECRET_KEY_FILE: '/nonexistent/keys' })).toThrow(
      /WEBHOOKS_SECRET_KEY_FILE: cannot be read/,
    );
  });
});
