import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { InvalidInputError } from '@wms-webhooks/errors';

export interface SecretKey {
  id: string;
  key: Buffer;
}

/** Permanent until the keyring changes: the same value never opens with the same keys. */
export class SecretDecryptError extends InvalidInputError {
  constructor(message: string) {
    super('cannot-decrypt', message);
  }
}

const prefix = 'enc:v1:';
/** GCM checks only as many tag bytes as it is given: a 4-byte tag is forged in about 2^32 tries. */
const tagBytes = 16;

/**
 * AES-256-GCM with a keyring: the first key encrypts, every key decrypts, so a new key can be put
 * first and the old one dropped once everything is re-encrypted. The context (say, "webhook id:field")
 * is bound as associated data, so a sealed value copied to another record or field does not open.
 * Sealed form: enc:v1:<key id>:<iv>:<tag>:<ciphertext>, base64url parts.
 */
export class SecretBox {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: readonly SecretKey[]) {
    if (keys.length === 0) throw new Error('a secret box needs at least one key');
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  get primaryKeyId(): string {
    return (this.keys[0] as SecretKey).id;
  }

  seal(plaintext: string, context: string): string {
    const { id, key } = this.keys[0] as SecretKey;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${prefix}${id}:${[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url')).join(':')}`;
  }

  open(sealed: string, context: string): string {
    const [id, iv, tag, ciphertext] = sealed.slice(prefix.length).split(':');
    if (!SecretBox.isSealed(sealed)) {
      throw new SecretDecryptError(
        `a stored secret (${context}) is not encrypted; values stored before encryption are sealed once by npm run secrets:reseal -- --seal-plaintext`,
      );
    }
    if (!id || iv === undefined || !tag || ciphertext === undefined) {
      throw new SecretDecryptError(`a stored secret (${context}) is not in the sealed format`);
    }
    const key = this.byId.get(id);
    if (!key) {
      throw new SecretDecryptError(
        `a stored secret (${context}) was sealed with key "${id}", which is not in the keyring`,
      );
    }
    const authTag = Buffer.from(tag, 'base64url');
    if (authTag.length !== tagBytes) {
      throw new SecretDecryptError(
        `a stored secret (${context}) carries an authentication tag of ${authTag.length} bytes; a sealed value has ${tagBytes}`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
        authTagLength: tagBytes,
      })
        .setAAD(Buffer.from(context))
        .setAuthTag(authTag);
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretDecryptError(`a stored secret (${context}) failed authentication with key "${id}"`);
    }
  }

  /**
   * A key per keyring key for another use (say, hashing API keys), derived with HKDF so it reveals
   * nothing of the sealing key; the first is the current one, as in the keyring.
   */
  derivedKeys(purpose: string): SecretKey[] {
    return this.keys.map(({ id, key }) => ({
      id,
      key: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `wms-webhooks ${purpose}`, 32)),
    }));
  }

  /** Whether re-sealing would change the key: true for values sealed with an older key. */
  needsReseal(sealed: string): boolean {
    return !sealed.startsWith(`${prefix}${this.primaryKeyId}:`);
  }

  static isSealed(value: string): boolean {
    return value.startsWith(prefix);
  }
}
