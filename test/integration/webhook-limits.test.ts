import { randomUUID } from 'node:crypto';
import type { DeliveryTask } from '@wms-webhooks/contracts';
import { buildDeliveryRequest, createDeliveryClient } from '@wms-webhooks/delivery';
import { createTargetPolicy, parseCidrList } from '@wms-webhooks/target-guard';
import type { Webhook } from '@wms-webhooks/webhooks';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody, wmsEvent } from '../support/events';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { Receiver, signatureHeaders } from '../support/receiver';
import { waitFor } from '../support/wait-for';

type Problems = { problems: Array<{ field: string; message: string }> };

describe('the limits on what a webhook may hold', () => {
  let pipeline: Pipeline;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await receiver.stop();
  });

  const save = (overrides: Record<string, unknown>) =>
    pipeline.api('/api/webhooks', { method: 'POST', body: webhookBody(overrides) });

  describe('when its headers would break every delivery', () => {
    it.each(['Keep-Alive', 'Upgrade', 'Expect', 'TE', 'Trailer', 'Proxy-Authorization', 'Proxy-Connection'])(
      'refuses %s with 400 naming the header',
      async (name) => {
        const response = await save({ headers: { [name]: 'x' } });
        expect(response.status).toBe(400);
        expect(((await response.json()) as Problems).problems).toEqual([
          { field: `headers.${name}`, message: expect.stringContaining('connection-level header') },
        ]);
      },
    );

    it('refuses a header name of 100,000 characters without echoing it', async () => {
      const response = await save({ headers: { [`X-${'a'.repeat(100_000)}`]: 'x' } });
      expect(response.status).toBe(400);
      const { problems } = (await response.json()) as Problems;
      expect(problems).toEqual([
        {
          field: expect.stringMatching(/^headers\.X-a{20,40}…$/),
          message: expect.stringContaining('at most 128'),
        },
      ]);
    });

    it('refuses 50 headers of 4 KB each, naming the total', async () => {
      const headers = Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`X-Big-${i}`, 'v'.repeat(4096)]),
      );
      const response = await save({ headers });
      expect(response.status).toBe(400);
      expect(((await response.json()) as Problems).problems).toEqual([
        {
          field: 'headers',
          message: expect.stringMatching(/may total at most 8192 bytes.*these total 20\d{4}/),
        },
      ]);
    });

    it('accepts ordinary headers up to the total', async () => {
      const headers = { 'X-Tenant': 'acme', 'X-Big': 'v'.repeat(4000), 'X-Other': 'w'.repeat(3000) };
      expect((await save({ headers })).status).toBe(201);
    });
  });

  describe('when a webhook stored before these rules carries such headers', () => {
    it('delivers without them instead of failing every attempt', async () => {
      const client = createDeliveryClient({
        targetPolicy: createTargetPolicy({ allowedTargets: parseCidrList('127.0.0.0/8') }),
      });
      const webhook = {
        ...webhookBody({ url: receiver.url('/legacy-headers') }),
        id: randomUUID(),
        auth: { type: 'none' },
        headers: { Expect: '100-continue', 'Keep-Alive': 'timeout=5', TE: 'trailers', 'X-Kept': 'yes' },
        signingSecret: `whsec_${Buffer.alloc(24, 1).toString('base64')}`,
        previousSigningSecrets: [],
      } as unknown as Webhook;
      const task = {
        deliveryId: randomUUID(),
        attempt: 1,
        payload: '{}',
        occurredAt: Date.now(),
      } as DeliveryTask;
      try {
        const outcome = await client.send(buildDeliveryRequest(task, webhook, Date.now()), 5_000);
        expect(outcome).toMatchObject({ outcome: 'succeeded' });
        const [received] = receiver.at('/legacy-headers');
        expect(received?.headers).toMatchObject({ 'x-kept': 'yes' });
        expect(received?.headers).not.toHaveProperty('expect');
        expect(received?.headers).not.toHaveProperty('te');
      } finally {
        client.close();
      }
    });
  });

  describe('when the signing secret is rotated many times', () => {
    it('keeps the current and one previous secret, so the signature header stays small', async () => {
      const created = await save({ goodsOwnerIds: [1901], url: receiver.url('/rotated-often') });
      const { id } = (await created.json()) as { id: string };
      let current = '';
      let previous = '';
      for (let rotation = 0; rotation < 5; rotation++) {
        const rotated = await pipeline.api(`/api/webhooks/${id}/rotate-secret`, { method: 'POST' });
        expect(rotated.status).toBe(200);
        previous = current;
        current = ((await rotated.json()) as { signingSecret: string }).signingSecret;
      }
      const store = await pipeline.store();
      try {
        const document = await store.db.collection('webhooks').findOne({ _id: id as never });
        expect(document?.previousSigningSecrets).toHaveLength(1);
      } finally {
        await store.close();
      }

      await pipeline.publish([wmsEvent({ goodsOwnerId: 1901 })]);
      const [request] = await waitFor(() => {
        const received = receiver.at('/rotated-often');
        return received.length > 0 ? received : undefined;
      });
      const headers = signatureHeaders(request);
      expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
      for (const secret of [current, previous]) {
        expect(() => new StandardWebhook(secret).verify(request?.body ?? '', headers)).not.toThrow();
      }
    });
  });
});

describe('the quotas of a goods owner', () => {
  let pipeline: Pipeline;
  let ownerKey = '';

  beforeAll(async () => {
    pipeline = await startPipeline(
      {
        WEBHOOKS_QUOTA_WEBHOOKS_PER_GOODS_OWNER: '4',
        WEBHOOKS_QUOTA_CREATES_PER_MINUTE: '3',
        WEBHOOKS_QUOTA_TESTS_PER_MINUTE: '2',
        WEBHOOKS_QUOTA_ROTATIONS_PER_MINUTE: '2',
      },
      { sender: false },
    );
    const created = await pipeline.api('/api/keys', {
      method: 'POST',
      body: { name: 'tenant', role: 'goods-owner', goodsOwnerIds: [1911, 1912, 1913] },
    });
    ownerKey = ((await created.json()) as { key: string }).key;
  });

  afterAll(() => pipeline?.stop());

  const create = (goodsOwnerId: number, key?: string) =>
    pipeline.api('/api/webhooks', {
      method: 'POST',
      body: webhookBody({ goodsOwnerIds: [goodsOwnerId], url: 'https://93.184.215.14/hook' }),
      key,
      awaitPropagation: false,
    });

  it('answers 429 with Retry-After past the webhooks a goods owner may create a minute', async () => {
    for (let i = 0; i < 3; i++) expect((await create(1911, ownerKey)).status).toBe(201);
    const refused = await create(1911, ownerKey);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: string }).error).toContain('goods owner 1911');
  });

  it('refuses a webhook past the most a goods owner may have, naming the limit', async () => {
    for (let i = 0; i < 4; i++) expect((await create(1912)).status).toBe(201);
    const refused = await create(1912, ownerKey);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toContain(
      'goods owner 1912 has 4 webhooks, the most WEBHOOKS_QUOTA_WEBHOOKS_PER_GOODS_OWNER allows',
    );
  });

  it('answers 429 past the Test presses and secret rotations a minute allows, and binds no admin key', async () => {
    const { id } = (await (await create(1913, ownerKey)).json()) as { id: string };
    for (const [action, allowed] of [
      ['test', 2],
      ['rotate-secret', 2],
    ] as const) {
      for (let i = 0; i < allowed; i++) {
        const response = await pipeline.api(`/api/webhooks/${id}/${action}`, {
          method: 'POST',
          key: ownerKey,
          awaitPropagation: false,
        });
        expect(response.status, action).toBeLessThan(300);
      }
      const refused = await pipeline.api(`/api/webhooks/${id}/${action}`, {
        method: 'POST',
        key: ownerKey,
        awaitPropagation: false,
      });
      expect(refused.status, action).toBe(429);
      expect(refused.headers.get('retry-after'), action).toMatch(/^\d+$/);
      const asAdmin = await pipeline.api(`/api/webhooks/${id}/${action}`, {
        method: 'POST',
        awaitPropagation: false,
      });
      expect(asAdmin.status, action).toBeLessThan(300);
    }
  });

  it('tells a goods-owner key its limits and how many webhooks each of its owners has', async () => {
    const quotas = (await (await pipeline.api('/api/quotas', { key: ownerKey })).json()) as Record<
      string,
      unknown
    >;
    expect(quotas).toMatchObject({
      bindsThisKey: true,
      webhooksPerGoodsOwner: 4,
      createsPerMinute: 3,
      testsPerMinute: 2,
      rotationsPerMinute: 2,
    });
    expect(quotas.goodsOwners).toEqual(
      expect.arrayContaining([
        { goodsOwnerId: 1912, webhooks: 4 },
        { goodsOwnerId: 1913, webhooks: 1 },
      ]),
    );
  });
});
