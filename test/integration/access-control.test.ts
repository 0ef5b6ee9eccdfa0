import { createHash } from 'node:crypto';
import { newApiKey } from '@wms-webhooks/access';
import { startApi } from '@wms-webhooks/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody } from '../support/events';
import { type Pipeline, startPipeline, testAdminKey } from '../support/pipeline';

describe('access control on the API', () => {
  let pipeline: Pipeline;
  let ownerOneKey: string;
  let ownerOneKeyId: string;
  const ids: Record<'own' | 'foreign' | 'allOwners' | 'spanning' | 'ownAutomation', string> = {
    own: '',
    foreign: '',
    allOwners: '',
    spanning: '',
    ownAutomation: '',
  };

  const create = async (body: Record<string, unknown>, key?: string) =>
    pipeline.api('/api/webhooks', { method: 'POST', body: webhookBody(body), key, awaitPropagation: false });
  const idOf = async (response: Response) => ((await response.json()) as { id: string }).id;

  beforeAll(async () => {
    pipeline = await startPipeline({}, { sender: false });
    const key = await pipeline.api('/api/keys', {
      method: 'POST',
      body: { name: 'acme integrator', role: 'goods-owner', goodsOwnerIds: [1] },
    });
    expect(key.status).toBe(201);
    ({ key: ownerOneKey, id: ownerOneKeyId } = (await key.json()) as { key: string; id: string });
    ids.own = await idOf(await create({ goodsOwnerIds: [1] }));
    ids.foreign = await idOf(await create({ goodsOwnerIds: [2] }));
    ids.allOwners = await idOf(await create({ kind: 'automation', goodsOwnerIds: [], allGoodsOwners: true }));
    ids.spanning = await idOf(await create({ kind: 'automation', goodsOwnerIds: [1, 2] }));
    ids.ownAutomation = await idOf(await create({ kind: 'automation', goodsOwnerIds: [1] }));
  });

  afterAll(() => pipeline?.stop());

  describe('without a valid key', () => {
    it.each([
      ['no Authorization header', null, 'authentication required'],
      ['a header that is not Bearer', 'Basic dXNlcjpwYXNz', 'must be "Bearer <api key>"'],
      ['an unknown key', 'Bearer wmk_not-a-key-anyone-issued', 'unknown or revoked'],
    ])('answers 401 to %s', async (_case, header, message) => {
      const response = await fetch(`${pipeline.apiUrl}/api/webhooks`, {
        headers: header === null ? {} : { authorization: header },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect(((await response.json()) as { error: string }).error).toContain(message);
    });

    it('answers 401 on every route, including writes and logs', async () => {
      for (const [method, path] of [
        ['POST', '/api/webhooks'],
        ['GET', `/api/webhooks/${ids.own}/logs`],
        ['GET', '/api/logs/retention'],
        ['POST', `/api/webhooks/${ids.own}/test`],
        ['GET', '/api/keys'],
      ] as const) {
        const body = method === 'GET' ? undefined : {};
        expect((await pipeline.api(path, { method, key: null, body })).status).toBe(401);
      }
    });

    it('lets no other spelling of an /api path through', async () => {
      for (const path of [
        '/api/webhooks/',
        '//api/webhooks',
        '/api/./webhooks',
        '/api/webhooks?goodsOwnerId=1',
      ]) {
        const response = await fetch(`${pipeline.apiUrl}${path}`);
        expect({ path, status: response.status }).toEqual({ path, status: expect.toBeOneOf([401, 404]) });
      }
    });

    it('leaves health and metrics open for probes and scrapers', async () => {
      expect((await fetch(`${pipeline.apiUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${pipeline.apiUrl}/metrics`)).status).toBe(200);
    });
  });

  describe('with a key scoped to goods owner 1', () => {
    const asOwnerOne = (path: string, init: { method?: string; body?: unknown } = {}) =>
      pipeline.api(path, { ...init, key: ownerOneKey, awaitPropagation: false });

    it('creates and reads webhooks of its own owner', async () => {
      const created = await create({ goodsOwnerIds: [1], name: 'mine' }, ownerOneKey);
      expect(created.status).toBe(201);
      expect((await asOwnerOne(`/api/webhooks/${await idOf(created)}`)).status).toBe(200);
      expect((await asOwnerOne(`/api/webhooks/${ids.ownAutomation}`)).status).toBe(200);
    });

    it.each([
      ['a regular webhook of owner 2', { goodsOwnerIds: [2] }, 'goods owner(s) 2'],
      [
        'an automation webhook spanning owner 2',
        { kind: 'automation', goodsOwnerIds: [1, 2] },
        'goods owner(s) 2',
      ],
      [
        'an all-owners webhook',
        { kind: 'automation', goodsOwnerIds: [], allGoodsOwners: true },
        'admin-only',
      ],
    ])('may not create %s (403)', async (_case, body, reason) => {
      const response = await create(body, ownerOneKey);
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: string }).error).toContain(reason);
    });

    it.each([
      ['another owner’s webhook', 'foreign'],
      ['an all-owners automation webhook', 'allOwners'],
      ['an automation webhook spanning an owner it lacks', 'spanning'],
    ] as const)('gets 403 for %s by id, on every route', async (_case, which) => {
      const id = ids[which];
      const attempts = [
        ['GET', `/api/webhooks/${id}`],
        ['PUT', `/api/webhooks/${id}`],
        ['DELETE', `/api/webhooks/${id}`],
        ['POST', `/api/webhooks/${id}/test`],
        ['POST', `/api/webhooks/${id}/rotate-secret`],
        ['GET', `/api/webhooks/${id}/logs`],
        ['GET', `/api/webhooks/${id}/activity`],
        ['GET', `/api/webhooks/${id}/activity/history?window=7d`],
        ['GET', `/api/webhooks/${id}/logs/000000000000000000000000`],
        ['POST', `/api/webhooks/${id}/deliveries/00000000-0000-4000-8000-000000000000/resend`],
      ] as const;
      for (const [method, path] of attempts) {
        const body = method === 'PUT' ? webhookBody({ goodsOwnerIds: [1] }) : undefined;
        expect({ method, path, status: (await asOwnerOne(path, { method, body })).status }).toEqual({
          method,
          path,
          status: 403,
        });
      }
      expect((await pipeline.api(`/api/webhooks/${id}`)).status).toBe(200);
    });

    it('may not move its own webhook to another owner', async () => {
      const response = await asOwnerOne(`/api/webhooks/${ids.own}`, {
        method: 'PUT',
        body: webhookBody({ goodsOwnerIds: [2] }),
      });
      expect(response.status).toBe(403);
    });

    it('lists only what it reaches, and gets 403 filtering by another owner', async () => {
      const listed = (await (await asOwnerOne('/api/webhooks')).json()) as { items: Array<{ id: string }> };
      const listedIds = listed.items.map((item) => item.id);
      expect(listedIds).toEqual(expect.arrayContaining([ids.own, ids.ownAutomation]));
      expect(listedIds).not.toContain(ids.foreign);
      expect(listedIds).not.toContain(ids.allOwners);
      expect(listedIds).not.toContain(ids.spanning);

      const filtered = (await (await asOwnerOne('/api/webhooks?goodsOwnerId=1')).json()) as {
        items: Array<{ id: string }>;
      };
      expect(filtered.items.map((item) => item.id)).not.toContain(ids.allOwners);
      expect((await asOwnerOne('/api/webhooks?goodsOwnerId=2')).status).toBe(403);
    });

    it('sees how long attempts are kept, but not what the log of every owner holds', async () => {
      const retention = (await (await asOwnerOne('/api/logs/retention')).json()) as Record<string, unknown>;
      expect(retention).toMatchObject({ retentionDays: 30, bytes: null, oldestAt: null });
    });

    it('may not manage API keys', async () => {
      expect((await asOwnerOne('/api/keys')).status).toBe(403);
      expect(
        (await asOwnerOne('/api/keys', { method: 'POST', body: { name: 'x', role: 'admin' } })).status,
      ).toBe(403);
    });
  });

  describe('managing keys as admin', () => {
    it('stores keys hashed: neither the list nor the store holds the key', async () => {
      const listing = await (await pipeline.api('/api/keys')).text();
      expect(listing).not.toContain(ownerOneKey);
      expect(listing).not.toContain(testAdminKey);
      const store = await pipeline.store();
      try {
        const raw = JSON.stringify(await store.db.collection('api_keys').find({}).toArray());
        expect(raw).not.toContain(ownerOneKey);
        expect(raw).not.toContain(testAdminKey);
        expect(raw).toMatch(/"hash":"[0-9a-f]{64}"/);
      } finally {
        await store.close();
      }
    });

    it('stores a keyed hash, so a stolen store cannot test guesses without the server key', async () => {
      const store = await pipeline.store();
      try {
        const record = await store.db.collection('api_keys').findOne({ _id: ownerOneKeyId as never });
        expect(record?.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(record?.hash).not.toBe(createHash('sha256').update(ownerOneKey).digest('hex'));
      } finally {
        await store.close();
      }
    });

    it('accepts a key stored unkeyed by an earlier version once, and re-hashes it with the server key', async () => {
      const legacyKey = newApiKey();
      const unkeyed = createHash('sha256').update(legacyKey).digest('hex');
      const store = await pipeline.store();
      try {
        await store.db.collection('api_keys').insertOne({
          _id: 'legacy-key' as never,
          name: 'from before keyed hashes',
          role: 'goods-owner',
          goodsOwnerIds: [1],
          hint: legacyKey.slice(0, 8),
          hash: unkeyed,
          createdAt: new Date(),
          revokedAt: null,
        });
        expect((await pipeline.api('/api/me', { key: legacyKey })).status).toBe(200);
        const record = await store.db.collection('api_keys').findOne({ _id: 'legacy-key' as never });
        expect(record?.hash).not.toBe(unkeyed);
        expect(record?.hashKeyId).toBeDefined();
        expect((await pipeline.api('/api/me', { key: legacyKey })).status).toBe(200);
      } finally {
        await store.close();
      }
    });

    it('names the field a bad key request gets wrong', async () => {
      const response = await pipeline.api('/api/keys', {
        method: 'POST',
        body: { name: 'scoped', role: 'goods-owner', goodsOwnerIds: [] },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        problems: [{ field: 'goodsOwnerIds', message: 'a goods-owner key needs at least one goods owner' }],
      });
    });

    it('revokes a key, which then answers 401', async () => {
      const created = (await (
        await pipeline.api('/api/keys', {
          method: 'POST',
          body: { name: 'short-lived', role: 'goods-owner', goodsOwnerIds: [7] },
        })
      ).json()) as { id: string; key: string };
      expect((await pipeline.api('/api/me', { key: created.key })).status).toBe(200);
      expect((await pipeline.api(`/api/keys/${created.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await pipeline.api('/api/me', { key: created.key })).status).toBe(401);
      expect((await pipeline.api('/api/me', { key: ownerOneKey })).status).toBe(200);
      expect(ownerOneKeyId).not.toBe(created.id);
    });
  });
});

describe('the seeded admin key', () => {
  it('refuses a WEBHOOKS_ADMIN_KEY with less than 128 bits of randomness, naming the variable', async () => {
    const pipeline = await startPipeline({}, { sender: false });
    try {
      for (const weak of ['abcdefghijklmnop', 'test-admin-key-0123456789', 'a'.repeat(64)]) {
        let api: Awaited<ReturnType<typeof startApi>> | undefined;
        const started = startApi({ ...pipeline.env, WEBHOOKS_ADMIN_KEY: weak, API_PORT: '0' }).then(
          (running) => {
            api = running;
          },
        );
        await expect(started, weak).rejects.toThrow(/WEBHOOKS_ADMIN_KEY: must carry at least 128 bits/);
        for (const step of api?.shutdownSteps ?? []) await step.run();
      }
    } finally {
      await pipeline.stop();
    }
  });

  it('stays revoked when the api starts again with it', async () => {
    const pipeline = await startPipeline({}, { sender: false });
    let restarted: Awaited<ReturnType<typeof startApi>> | undefined;
    try {
      const second = (await (
        await pipeline.api('/api/keys', { method: 'POST', body: { name: 'second admin', role: 'admin' } })
      ).json()) as { key: string };
      const { items } = (await (await pipeline.api('/api/keys')).json()) as {
        items: Array<{ id: string; name: string; revokedAt: string | null }>;
      };
      const seeded = items.find((item) => item.name === 'admin (WEBHOOKS_ADMIN_KEY)');
      const revoked = await pipeline.api(`/api/keys/${seeded?.id}`, { method: 'DELETE', key: second.key });
      expect(revoked.status).toBe(204);
      expect((await pipeline.api('/api/me')).status).toBe(401);

      restarted = await startApi({ ...pipeline.env, API_PORT: '0' });
      const asSeeded = await fetch(`${restarted.url}/api/me`, {
        headers: { authorization: `Bearer ${testAdminKey}` },
      });
      expect(asSeeded.status).toBe(401);
      const asSecond = await fetch(`${restarted.url}/api/me`, {
        headers: { authorization: `Bearer ${second.key}` },
      });
      expect(asSecond.status).toBe(200);
    } finally {
      for (const step of restarted?.shutdownSteps ?? []) await step.run().catch(() => undefined);
      await pipeline.stop();
    }
  });
});
