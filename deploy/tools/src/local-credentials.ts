import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newApiKey } from '@wms-webhooks/access';
import { loadStackLayout } from '@wms-webhooks/local-stack';
import { newSecretKey } from '@wms-webhooks/secrets';

function credentialsDir(): string {
  const dir = join(loadStackLayout().runDir, 'credentials');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function readOrCreate(file: string, create: () => string): string {
  if (!existsSync(file)) writeFileSync(file, `${create()}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * For `npm start` on a developer machine: an admin API key and an encryption keyring, made once and kept
 * (mode 600) beside the local stack, so restarts keep working with what was stored. Variables set by the
 * caller win; production sets them from its own secret store.
 */
export function localCredentials(env: NodeJS.ProcessEnv = process.env) {
  const dir = credentialsDir();
  const adminKeyFile = join(dir, 'admin-key');
  const secretKeyFile = join(dir, 'secret-keys');
  const adminKey = env.WEBHOOKS_ADMIN_KEY || readOrCreate(adminKeyFile, newApiKey);
  const callerHasKeyring = Boolean(env.WEBHOOKS_SECRET_KEYS || env.WEBHOOKS_SECRET_KEY_FILE);
  if (!callerHasKeyring) readOrCreate(secretKeyFile, () => newSecretKey('local-1'));
  const secretKeys = callerHasKeyring ? {} : { WEBHOOKS_SECRET_KEY_FILE: secretKeyFile };
  return { adminKey, adminKeyFile, env: { WEBHOOKS_ADMIN_KEY: adminKey, ...secretKeys } };
}
