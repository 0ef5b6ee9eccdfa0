import { deliveryEnvelope, eventTypeSpec } from '@wms-webhooks/contracts';
import { testWebhook } from '@wms-webhooks/webhooks/testing';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { deliveryIdFor } from './delivery-id';
import { buildDeliveryRequest, deliveryBody } from './delivery-request';
import { sampleTask } from './sample-task.fixture';

const task = sampleTask('w-1', 'e-1', {
  deliveryId: deliveryIdFor('e-1', 'w-1'),
  occurredAt: Date.UTC(2026, 10, 22, 8, 0, 0),
  goodsOwnerId: 42,
  warehouseId: 'AMS-1',
  entityId: 'ORD-1',
  payload: '{"orderId":"ORD-1","lines":[]}',
  attempt: 3,
});

describe('deliveryIdFor', () => {
  it('is the same for the same event and webhook, and a UUID', () => {
    expect(deliveryIdFor('e-1', 'w-1')).toBe(deliveryIdFor('e-1', 'w-1'));
    expect(deliveryIdFor('e-1', 'w-1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('differs across webhooks and events', () => {
    expect(deliveryIdFor('e-1', 'w-2')).not.toBe(deliveryIdFor('e-1', 'w-1'));
    expect(deliveryIdFor('e-2', 'w-1')).not.toBe(deliveryIdFor('e-1', 'w-1'));
  });
});

describe('buildDeliveryRequest', () => {
  const now = Date.UTC(2026, 10, 22, 8, 0, 5);

  it('posts the documented body, the payload parsed into data', () => {
    const request = buildDeliveryRequest(task, testWebhook({ id: 'w-1' }), now);
    expect(JSON.parse(request.body)).toEqual({
      eventId: 'e-1',
      eventType: 'order.picked',
      occurredAt: '2026-11-22T08:00:00.000Z',
      goodsOwnerId: 42,
      warehouseId: 'AMS-1',
      entityId: 'ORD-1',
      webhookId: 'w-1',
      data: { orderId: 'ORD-1', lines: [] },
    });
  });

  it('passes the payload through as written, so integers past 2^53 arrive exact', () => {
    const payload = '{"orderId":"ORD-1","serial":9007199254740993,"note":"caf\\u00e9"}';
    const request = buildDeliveryRequest({ ...task, payload }, testWebhook({ id: 'w-1' }), now);
    expect(request.body.endsWith(`"data":${payload}}`)).toBe(true);
    expect(JSON.parse(request.body).data).toMatchObject({ orderId: 'ORD-1', note: 'café' });
  });

  it('signs so that the standardwebhooks verifier accepts it', () => {
    const webhook = testWebhook({ id: 'w-1' });
    const request = buildDeliveryRequest(task, webhook, now);
    expect(request.headers).toMatchObject({
      'webhook-id': task.deliveryId,
      'webhook-timestamp': String(now / 1000),
      'webhook-attempt': '3',
      'Content-Type': 'application/json',
    });
    const verifier = new StandardWebhook(webhook.signingSecret);
    const headers = {
      'webhook-id': request.headers['webhook-id']!,
      'webhook-timestamp': request.headers['webhook-timestamp']!,
      'webhook-signature': request.headers['webhook-signature']!,
    };
    // The verifier rejects old timestamps; verify against the signing time.
    const realNow = Date.now;
    Date.now = () => now;
    try {
      expect(verifier.verify(request.body, headers)).toEqual(JSON.parse(request.body));
    } finally {
      Date.now = realNow;
    }
  });

  it('adds basic auth and keeps the operator headers as given', () => {
    const request = buildDeliveryRequest(
      task,
      testWebhook({
        auth: { type: 'basic', username: 'a', password: 'b:c' },
        headers: { 'X-Tenant': 'Acme' },
      }),
      now,
    );
    expect(request.headers.Authorization).toBe(`Basic ${Buffer.from('a:b:c').toString('base64')}`);
    expect(request.headers['X-Tenant']).toBe('Acme');
  });

  it('leaves out connection-level headers a webhook saved before they were refused still holds', () => {
    const request = buildDeliveryRequest(
      task,
      testWebhook({ headers: { Expect: '100-continue', 'keep-alive': 'timeout=5', 'X-Kept': 'yes' } }),
      now,
    );
    expect(request.headers).toMatchObject({ 'X-Kept': 'yes' });
    expect(Object.keys(request.headers).map((name) => name.toLowerCase())).not.toContain('expect');
    expect(Object.keys(request.headers).map((name) => name.toLowerCase())).not.toContain('keep-alive');
  });

  it('adds X-Auth-Token for token auth', () => {
    const request = buildDeliveryRequest(task, testWebhook({ auth: { type: 'token', token: 't-1' } }), now);
    expect(request.headers['X-Auth-Token']).toBe('t-1');
    expect(request.headers.Authorization).toBeUndefined();
  });

  describe('after the signing secret is rotated', () => {
    const oldSecret = testWebhook().signingSecret;
    const newSecret = `whsec_${Buffer.from('fedcba9876543210fedcba9876543210').toString('base64')}`;
    const rotated = (expiresAt: number) =>
      testWebhook({
        signingSecret: newSecret,
        previousSigningSecrets: [{ secret: oldSecret, expiresAt: new Date(expiresAt) }],
      });
    const verifies = (secret: string, request: ReturnType<typeof buildDeliveryRequest>) => {
      const realNow = Date.now;
      Date.now = () => now;
      try {
        new StandardWebhook(secret).verify(request.body, {
          'webhook-id': request.headers['webhook-id']!,
          'webhook-timestamp': request.headers['webhook-timestamp']!,
          'webhook-signature': request.headers['webhook-signature']!,
        });
        return true;
      } catch {
        return false;
      } finally {
        Date.now = realNow;
      }
    };

    it('signs with both secrets during the grace period, so receivers on either verify', () => {
      const request = buildDeliveryRequest(task, rotated(now + 1_000), now);
      expect(request.headers['webhook-signature']?.split(' ')).toHaveLength(2);
      expect(verifies(newSecret, request)).toBe(true);
      expect(verifies(oldSecret, request)).toBe(true);
    });

    it('signs with only the newest previous secret when a webhook stored earlier holds hundreds', () => {
      const piled = testWebhook({
        signingSecret: newSecret,
        previousSigningSecrets: [
          ...Array.from({ length: 400 }, (_, i) => ({
            secret: `whsec_${Buffer.alloc(32, i).toString('base64')}`,
            expiresAt: new Date(now + 1_000 + i),
          })),
          { secret: oldSecret, expiresAt: new Date(now + 5_000) },
        ],
      });
      const request = buildDeliveryRequest(task, piled, now);
      expect(request.headers['webhook-signature']?.split(' ')).toHaveLength(2);
      expect(verifies(oldSecret, request)).toBe(true);
    });

    it('drops the old secret once it expires', () => {
      const request = buildDeliveryRequest(task, rotated(now), now);
      expect(verifies(newSecret, request)).toBe(true);
      expect(verifies(oldSecret, request)).toBe(false);
    });
  });
});

describe('the delivery body', () => {
  it('is the envelope the catalogue publishes, with the payload as data', () => {
    const spec = eventTypeSpec('order.picked');
    if (!spec) throw new Error('order.picked is not in the catalogue');
    const task = sampleTask('wh-1', 'ev-1', { payload: JSON.stringify(spec.sample.payload) });
    const body = JSON.parse(deliveryBody(task)) as unknown;
    expect(deliveryEnvelope(spec.type, spec.payload).safeParse(body).error).toBeUndefined();
  });
});
