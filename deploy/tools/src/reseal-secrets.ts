import { ApiKeyRepository } from '@wms-webhooks/access';
import { loadConfig } from '@wms-webhooks/config';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { loadSecretBox, secretKeyEnv } from '@wms-webhooks/secrets';
import { WebhookRepository } from '@wms-webhooks/webhooks';
import { MongoClient } from 'mongodb';
import { z } from 'zod';
import { localCredentials } from './local-credentials';
import { runTool } from './run-tool';

const resealEnv = z.object({
  ...secretKeyEnv,
  MONGODB_DATABASE: z.string().default('wms_webhooks'),
});

/**
 * `npm run secrets:reseal`, step 3 of rotating the encryption key (docs/security.md): with the new key
 * first in the keyring, re-seals every stored secret with it, so the old key can then be dropped.
 * `-- --seal-plaintext` is the one-time migration of values stored before encryption, which services
 * refuse to use. Without a keyring in the environment it uses the one npm start made.
 */
runTool(async () => {
  const fromEnv = process.env.WEBHOOKS_SECRET_KEYS || process.env.WEBHOOKS_SECRET_KEY_FILE;
  const config = loadConfig(resealEnv, fromEnv ? process.env : { ...process.env, ...localCredentials().env });
  const secrets = loadSecretBox(config);
  const endpoints = await resolveEndpoints({ start: false });
  const client = new MongoClient(endpoints.mongodbUri);
  await client.connect();
  try {
    const repository = new WebhookRepository(client.db(config.MONGODB_DATABASE), secrets);
    const sealPlaintext = process.argv.includes('--seal-plaintext');
    const { examined, resealed, plaintext } = await repository.resealAll({ sealPlaintext });
    console.log(
      `${examined} webhook(s) examined, ${resealed} re-sealed with key "${secrets.primaryKeyId}"; ` +
        'keys after the first may now be removed from the keyring.',
    );
    const apiKeys = new ApiKeyRepository(
      client.db(config.MONGODB_DATABASE),
      secrets.derivedKeys('api-key-hash'),
    );
    const waiting = await apiKeys.notYetRehashed();
    if (waiting.length > 0) {
      console.log(
        `${waiting.length} API key(s) are still hashed with an older keyring key and move to "${secrets.primaryKeyId}" when next used: ` +
          `${waiting.map((key) => `${key.name} (${key.hint}…)`).join(', ')}. Dropping the older key before then retires them.`,
      );
    }
    if (plaintext.length > 0) {
      console.log(
        sealPlaintext
          ? `Sealed plaintext credentials of ${plaintext.length} webhook(s): ${plaintext.join(', ')}`
          : `${plaintext.length} webhook(s) hold plaintext credentials, which services refuse to use: ${plaintext.join(', ')}.\n` +
              'If they were stored before encryption (not planted), seal them: npm run secrets:reseal -- --seal-plaintext',
      );
    }
  } finally {
    await client.close();
  }
});
