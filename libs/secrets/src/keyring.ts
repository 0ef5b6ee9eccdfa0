import { readFileSync } from 'node:fs';
import { ConfigError } from '@wms-webhooks/config';
import { z } from 'zod';
import { SecretBox, type SecretKey } from './secret-box';

/** Variables a service that reads or writes webhook secrets adds to its schema. */
export const secretKeyEnv = {
  WEBHOOKS_SECRET_KEYS: z
    .string()
    .optional()
    .describe(
      'The keyring for credentials at rest: `id:base64key[,id:base64key…]`, 32-byte keys; the first encrypts, all decrypt. This or `WEBHOOKS_SECRET_KEY_FILE` is required (docs/operations.md).',
    ),
  WEBHOOKS_SECRET_KEY_FILE: z
    .string()
    .optional()
    .describe('A file holding the same list (commas or new lines), for keys mounted as files.'),
};

export function parseKeyring(text: string): SecretKey[] {
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'));
  if (entries.length === 0) throw new Error('holds no key');
  const keys = entries.map((entry, index) => {
    const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)$/.exec(entry);
    if (!match) throw new Error(`entry ${index + 1} is not "id:base64key"`);
    const key = Buffer.from(match[2] as string, 'base64');
    if (key.length !== 32) {
      throw new Error(`key "${match[1]}" is ${key.length} bytes; AES-256 needs 32 (openssl rand -base64 32)`);
    }
    return { id: match[1] as string, key };
  });
  const ids = keys.map((key) => key.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated) throw new Error(`key id "${repeated}" appears twice`);
  return keys;
}

/** The keyring from the environment; fails fast, naming the variable, when it is missing or malformed. */
export function loadSecretBox(config: { WEBHOOKS_SECRET_KEYS?: string; WEBHOOKS_SECRET_KEY_FILE?: string }) {
  const fail = (variable: string, message: string): never => {
    throw new ConfigError([{ variable, message }]);
  };
  if (config.WEBHOOKS_SECRET_KEYS) {
    try {
      return new SecretBox(parseKeyring(config.WEBHOOKS_SECRET_KEYS));
    } catch (error) {
      return fail('WEBHOOKS_SECRET_KEYS', (error as Error).message);
    }
  }
  if (config.WEBHOOKS_SECRET_KEY_FILE) {
    let text: string;
    try {
      text = readFileSync(config.WEBHOOKS_SECRET_KEY_FILE, 'utf8');
    } catch (error) {
      return fail('WEBHOOKS_SECRET_KEY_FILE', `cannot be read: ${(error as Error).message}`);
    }
    try {
      return new SecretBox(parseKeyring(text));
    } catch (error) {
      return fail('WEBHOOKS_SECRET_KEY_FILE', (error as Error).message);
    }
  }
  return fail(
    'WEBHOOKS_SECRET_KEYS',
    'is required (or WEBHOOKS_SECRET_KEY_FILE): webhook credentials are encrypted at rest with it',
  );
}

export function newSecretKey(id: string): string {
  return `${id}:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}`;
}
