import { randomUUID } from 'node:crypto';
import { ApiKeyRepository } from '@wms-webhooks/access';
import { newSecretKey, parseKeyring, SecretBox } from '@wms-webhooks/secrets';
import { type Webhook, WebhookRepository } from '@wms-webhooks/webhooks';
import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody } from '../support/events';
import { testEndpoints } from '../support/stack';
import { uniqueName } from '../support/unique';

describe('webhook credentials at rest', () => {
  const client = new MongoClient(testEndpoints().mongodbUri);
  let db: Db;
  const box = new SecretBox(parseKeyring(newSecretKey('k1')));
  let repository: WebhookRepository;

  beforeAll(async () => {
    await client.connect();
    db = client.db(uniqueName('it_rest').replaceAll('-', '_'));
    repository = new WebhookRepository(db, box);
  });

  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });

  const stored = async () => {
    const webhook = {
      ...webhookBody({ auth: { type: 'token', token: 'the-real-token' } }),
      id: randomUUID(),
      signingSecret: `whsec_${Buffer.alloc(24, 7).toString('base64')}`,
      previousSigningSecrets: [],
      version: 1,
      createdAt: new Date(),
      updatedAt: new Date(),
    } as unknown as Webhook;
    await repository.insert(webhook);
    return webhook.id;
  };
  const webhooks = () => db.collection<{ _id: string; auth: { token: string } }>('webhooks');

  describe('when someone with write access to the store puts a plaintext token in place', () => {
    it('does not use it, and names the field that is not encrypted', async () => {
      const id = await stored();
      await webhooks().updateOne({ _id: id }, { $set: { 'auth.token': 'planted-token' } });
      const read = await repository.findById(id);
      expect(read?.auth).toEqual({ type: 'token', token: '' });
      expect(read?.unreadableSecrets).toContain(`webhook:${id}:auth.token) is not encrypted`);
    });
  });

  describe('when a sealed value has its authentication tag cut to 4 bytes', () => {
    it('refuses it, since a short tag can be forged', async () => {
      const id = await stored();
      const document = await webhooks().findOne({ _id: id });
      // enc:v1:<key id>:<iv>:<tag>:<ciphertext>
      const parts = String(document?.auth.token).split(':');
      parts[4] = Buffer.from(parts[4] as string, 'base64url')
        .subarray(0, 4)
        .toString('base64url');
      await webhooks().updateOne({ _id: id }, { $set: { 'auth.token': parts.join(':') } });
      const read = await repository.findById(id);
      expect(read?.auth).toEqual({ type: 'token', token: '' });
      expect(read?.unreadableSecrets).toContain('tag of 4 bytes');
    });
  });

  describe('when values stored before encryption are sealed by the one-time migration', () => {
    it('seals them only when asked to, and reports which webhooks held them', async () => {
      const id = await stored();
      await webhooks().updateOne({ _id: id }, { $set: { 'auth.token': 'token-from-before-encryption' } });

      const looked = await repository.resealAll();
      expect(looked.plaintext).toContain(id);
      expect((await repository.findById(id))?.unreadableSecrets).toBeDefined();

      const migrated = await repository.resealAll({ sealPlaintext: true });
      expect(migrated.plaintext).toContain(id);
      const document = await webhooks().findOne({ _id: id });
      expect(SecretBox.isSealed(document?.auth.token ?? '')).toBe(true);
      const read = await repository.findById(id);
      expect(read?.auth).toEqual({ type: 'token', token: 'token-from-before-encryption' });
      expect(read?.unreadableSecrets).toBeUndefined();
    });
  });

  describe('when the keyring gets a new key, as API keys are hashed with a key derived from it', () => {
    it('moves each API key to the new key when it is used, and lists those not moved yet', async () => {
      const first = newSecretKey('k1');
      const second = newSecretKey('k2');
      const before = new ApiKeyRepository(db, new SecretBox(parseKeyring(first)).derivedKeys('api-key-hash'));
      await before.ensureIndexes();
      const { key: used } = await before.create(
        { name: 'used', role: 'admin', goodsOwnerIds: [] },
        new Date(),
      );
      const { key: idle } = await before.create(
        { name: 'idle', role: 'admin', goodsOwnerIds: [] },
        new Date(),
      );

      const both = new ApiKeyRepository(
        db,
        new SecretBox(parseKeyring(`${second},${first}`)).derivedKeys('api-key-hash'),
      );
      expect((await both.notYetRehashed()).map((record) => record.name).sort()).toEqual(['idle', 'used']);
      expect(await both.authenticate(used)).toBeDefined();
      expect((await both.notYetRehashed()).map((record) => record.name)).toEqual(['idle']);

      const after = new ApiKeyRepository(db, new SecretBox(parseKeyring(second)).derivedKeys('api-key-hash'));
      expect(await after.authenticate(used)).toBeDefined();
      expect(await after.authenticate(idle)).toBeUndefined();
    });
  });
});
