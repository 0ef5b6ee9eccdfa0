import { newSecretKey, parseKeyring, SecretBox } from '@wms-webhooks/secrets';
import { WebhookRepository } from '@wms-webhooks/webhooks';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody, wmsEvent } from '../support/events';
import { type Pipeline, startPipeline, testAdminKey } from '../support/pipeline';
import { Receiver, signatureHeaders } from '../support/receiver';
import { waitFor } from '../support/wait-for';

interface LogItem {
  deliveryId: string;
  attempt: number;
  outcome: string;
  final: boolean;
  resendable: boolean;
  id: string;
}

describe('administering a webhook', () => {
  let pipeline: Pipeline;
  const receiver = new Receiver();

  const create = async (overrides: Record<string, unknown>) => {
    const response = await pipeline.api('/api/webhooks', { method: 'POST', body: webhookBody(overrides) });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; signingSecret: string };
  };
  const logs = async (id: string) =>
    ((await (await pipeline.api(`/api/webhooks/${id}/logs`)).json()) as { items: LogItem[] }).items;

  beforeAll(async () => {
    await receiver.start();
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await receiver.stop();
  });

  describe('when a client sends a bodiless POST with Content-Type: application/json', () => {
    const post = (path: string, body?: string) =>
      fetch(`${pipeline.apiUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${testAdminKey}` },
        body,
      });

    it('accepts Test, a secret rotation and Resend with an empty body, as with none', async () => {
      const webhook = await create({ goodsOwnerIds: [302], url: 'http://127.0.0.1:9/closed' });
      expect((await post(`/api/webhooks/${webhook.id}/test`)).status).toBe(202);
      expect((await post(`/api/webhooks/${webhook.id}/rotate-secret`)).status).toBe(200);
      await pipeline.publish([wmsEvent({ goodsOwnerId: 302 })]);
      const failed = await waitFor(async () =>
        (await logs(webhook.id)).find((item) => item.final && item.resendable),
      );
      expect((await post(`/api/webhooks/${webhook.id}/deliveries/${failed.deliveryId}/resend`)).status).toBe(
        202,
      );
    });

    it('still refuses a body that is not JSON, naming the problem', async () => {
      const webhook = await create({ goodsOwnerIds: [303], url: 'http://127.0.0.1:9/closed' });
      const response = await post(`/api/webhooks/${webhook.id}/test`, '{not json');
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('JSON');
    });
  });

  describe('when its signing secret is rotated', () => {
    it('shows the new secret once and signs with old and new during the grace period', async () => {
      const webhook = await create({ goodsOwnerIds: [301], url: receiver.url('/rotated') });
      const rotated = await pipeline.api(`/api/webhooks/${webhook.id}/rotate-secret`, { method: 'POST' });
      expect(rotated.status).toBe(200);
      const { signingSecret, previousSecretValidUntil } = (await rotated.json()) as {
        signingSecret: string;
        previousSecretValidUntil: string;
      };
      expect(signingSecret).toMatch(/^whsec_/);
      expect(signingSecret).not.toBe(webhook.signingSecret);
      expect(Date.parse(previousSecretValidUntil) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
      expect(await (await pipeline.api(`/api/webhooks/${webhook.id}`)).text()).not.toContain(signingSecret);

      await pipeline.publish([wmsEvent({ goodsOwnerId: 301 })]);
      const [request] = await waitFor(() => {
        const received = receiver.at('/rotated');
        return received.length > 0 ? received : undefined;
      });
      const headers = signatureHeaders(request);
      expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
      expect(() => new StandardWebhook(signingSecret).verify(request?.body ?? '', headers)).not.toThrow();
      expect(() =>
        new StandardWebhook(webhook.signingSecret).verify(request?.body ?? '', headers),
      ).not.toThrow();
    });
  });

  describe('when a delivery failed finally and the operator presses Resend', () => {
    it('sends the same delivery again, logs attempt 2, and refuses a second resend once it succeeded', async () => {
      receiver.respondInTurn('/resend', [500, 200]);
      const webhook = await create({
        goodsOwnerIds: [302],
        url: receiver.url('/resend'),
        retryPolicy: 'none',
      });
      await pipeline.publish([wmsEvent({ goodsOwnerId: 302 })]);
      const [failed] = await waitFor(async () => {
        const items = await logs(webhook.id);
        return items.length > 0 ? items : undefined;
      });
      expect(failed).toMatchObject({ attempt: 1, outcome: 'failed', final: true, resendable: true });

      const resent = await pipeline.api(
        `/api/webhooks/${webhook.id}/deliveries/${failed?.deliveryId}/resend`,
        {
          method: 'POST',
        },
      );
      expect(resent.status).toBe(202);
      const succeeded = await waitFor(async () =>
        (await logs(webhook.id)).find((item) => item.outcome === 'succeeded'),
      );
      expect(succeeded).toMatchObject({ deliveryId: failed?.deliveryId, attempt: 2 });
      const received = receiver.at('/resend');
      expect(received.map((request) => request.headers['webhook-id'])).toEqual([
        failed?.deliveryId,
        failed?.deliveryId,
      ]);
      expect(received[0]?.body).toBe(received[1]?.body);

      const again = await pipeline.api(
        `/api/webhooks/${webhook.id}/deliveries/${failed?.deliveryId}/resend`,
        {
          method: 'POST',
        },
      );
      expect(again.status).toBe(409);
    });

    it('resends the attempt the operator saw by its id, and refuses it again once a later attempt succeeded', async () => {
      receiver.respondInTurn('/resend-by-id', [500, 200]);
      const webhook = await create({
        goodsOwnerIds: [305],
        url: receiver.url('/resend-by-id'),
        retryPolicy: 'none',
      });
      await pipeline.publish([wmsEvent({ goodsOwnerId: 305 })]);
      const [failed] = await waitFor(async () => {
        const items = await logs(webhook.id);
        return items.length > 0 ? items : undefined;
      });
      const resend = () =>
        pipeline.api(`/api/webhooks/${webhook.id}/deliveries/${failed?.deliveryId}/resend`, {
          method: 'POST',
          body: { attemptId: failed?.id },
        });
      expect((await resend()).status).toBe(202);
      await waitFor(async () => (await logs(webhook.id)).find((item) => item.outcome === 'succeeded'));
      expect(receiver.at('/resend-by-id')).toHaveLength(2);
      // Refused either way: by the resend's claim at once, or by its logged success once the Logs show it.
      const again = await resend();
      expect(again.status).toBe(409);
      expect(['this delivery was already resent', 'this delivery already succeeded']).toContain(
        ((await again.json()) as { error: string }).error,
      );
      expect(receiver.at('/resend-by-id')).toHaveLength(2);
    });

    it('answers 400 naming attemptId when it is not an id the logs listed', async () => {
      const webhook = await create({ goodsOwnerIds: [306] });
      const response = await pipeline.api(
        `/api/webhooks/${webhook.id}/deliveries/00000000-0000-4000-8000-000000000000/resend`,
        { method: 'POST', body: { attemptId: 'not-an-id' } },
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ problems: [{ field: 'attemptId' }] });
    });

    it('answers 404 for a delivery the webhook never had', async () => {
      const webhook = await create({ goodsOwnerIds: [303], url: receiver.url('/none') });
      const response = await pipeline.api(
        `/api/webhooks/${webhook.id}/deliveries/00000000-0000-4000-8000-000000000000/resend`,
        { method: 'POST' },
      );
      expect(response.status).toBe(404);
    });
  });

  describe('the webhook list', () => {
    it('shows each webhook’s last outcome and recent failures', async () => {
      receiver.respondInTurn('/activity', [500, 200]);
      const webhook = await create({ goodsOwnerIds: [304], url: receiver.url('/activity') });
      await pipeline.publish([wmsEvent({ goodsOwnerId: 304 })]);
      await waitFor(async () => ((await logs(webhook.id)).length > 0 ? true : undefined));
      await pipeline.publish([wmsEvent({ goodsOwnerId: 304 })]);
      const item = await waitFor(async () => {
        const listed = (await (await pipeline.api('/api/webhooks?goodsOwnerId=304')).json()) as {
          items: Array<{ id: string; activity: { recentAttempts: number } }>;
        };
        const found = listed.items.find((entry) => entry.id === webhook.id);
        return found && found.activity.recentAttempts >= 2 ? found : undefined;
      });
      expect(item.activity).toMatchObject({ lastOutcome: 'succeeded', recentAttempts: 2, recentFailures: 1 });
    });
  });

  describe('secrets at rest', () => {
    it('stores the password, token and signing secret sealed, bound to their webhook', async () => {
      const password = 'planted-password-7f3a';
      const token = 'planted-token-9c1e';
      const basic = await create({
        goodsOwnerIds: [305],
        url: receiver.url('/sealed'),
        auth: { type: 'basic', username: 'svc', password },
      });
      const tokenHook = await create({
        goodsOwnerIds: [305],
        url: receiver.url('/sealed'),
        auth: { type: 'token', token },
      });
      const store = await pipeline.store();
      try {
        const documents = await store.db
          .collection<{ _id: string; auth: { password?: string; token?: string }; signingSecret: string }>(
            'webhooks',
          )
          .find({ _id: { $in: [basic.id, tokenHook.id] } })
          .toArray();
        const raw = JSON.stringify(documents);
        for (const secret of [password, token, basic.signingSecret, tokenHook.signingSecret]) {
          expect(raw).not.toContain(secret);
        }
        for (const document of documents) {
          expect(SecretBox.isSealed(document.signingSecret)).toBe(true);
          expect(SecretBox.isSealed(document.auth.password ?? document.auth.token ?? '')).toBe(true);
        }
      } finally {
        await store.close();
      }
      await pipeline.publish([wmsEvent({ goodsOwnerId: 305 })]);
      const received = await waitFor(() =>
        receiver.at('/sealed').length === 2 ? receiver.at('/sealed') : undefined,
      );
      expect(
        received.map((request) => request.headers.authorization ?? request.headers['x-auth-token']).sort(),
      ).toEqual([`Basic ${Buffer.from(`svc:${password}`).toString('base64')}`, token].sort());
    });

    it('re-seals every secret with a new key, after which the old key can be dropped', async () => {
      const webhook = await create({
        goodsOwnerIds: [306],
        url: receiver.url('/resealed'),
        auth: { type: 'token', token: 'token-before-rotation' },
      });
      const oldKeyring = pipeline.env.WEBHOOKS_SECRET_KEYS as string;
      const newKey = newSecretKey('rotated');
      const store = await pipeline.store();
      try {
        const rotating = new WebhookRepository(
          store.db,
          new SecretBox(parseKeyring(`${newKey},${oldKeyring}`)),
        );
        const result = await rotating.resealAll();
        expect(result.resealed).toBe(result.examined);
        const newOnly = new WebhookRepository(store.db, new SecretBox(parseKeyring(newKey)));
        const reread = await newOnly.findById(webhook.id);
        expect(reread?.auth).toEqual({ type: 'token', token: 'token-before-rotation' });
        expect(reread?.signingSecret).toBe(webhook.signingSecret);
        expect((await rotating.resealAll()).resealed).toBe(0);
      } finally {
        await store.close();
      }
    });
  });
});
