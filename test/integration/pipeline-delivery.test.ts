import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody, wmsEvent } from '../support/events';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait-for';

describe('a WMS event through ingester, matcher and sender', () => {
  let pipeline: Pipeline;
  const receiver = new Receiver();

  const createWebhook = async (overrides: Record<string, unknown>) => {
    const response = await pipeline.api('/api/webhooks', { method: 'POST', body: webhookBody(overrides) });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; signingSecret: string };
  };

  /** Publishes the events, then a sentinel with the same key; once the sentinel arrives, the others were matched. */
  const publishAndSettle = async (events: ReturnType<typeof wmsEvent>[], sentinelPath: string) => {
    const entityId = events[0]?.entityId ?? 'ORD-settle';
    const sentinel = wmsEvent({ entityId, goodsOwnerId: 999, eventType: 'order.picked' });
    await pipeline.publish([...events.map((event) => ({ ...event, entityId })), sentinel]);
    await waitFor(
      () => receiver.at(sentinelPath).find((request) => request.body.includes(sentinel.eventId)),
      {
        message: 'the sentinel delivery',
      },
    );
  };

  beforeAll(async () => {
    await receiver.start();
    pipeline = await startPipeline();
    await createWebhook({ name: 'sentinel', goodsOwnerIds: [999], url: receiver.url('/sentinel') });
  });

  afterAll(async () => {
    await pipeline?.stop();
    await receiver.stop();
  });

  describe('scope', () => {
    it('delivers to a regular webhook only the events of its goods owner', async () => {
      await createWebhook({ goodsOwnerIds: [11], url: receiver.url('/regular-11') });
      const own = wmsEvent({ goodsOwnerId: 11 });
      const other = wmsEvent({ goodsOwnerId: 12 });
      await publishAndSettle([own, other], '/sentinel');
      await waitFor(() => receiver.at('/regular-11').length === 1 || undefined, {
        message: 'the own delivery',
      });
      expect(receiver.at('/regular-11').map((request) => JSON.parse(request.body).eventId)).toEqual([
        own.eventId,
      ]);
    });

    it('delivers to an automation webhook the events of every listed goods owner and no other', async () => {
      await createWebhook({
        kind: 'automation',
        goodsOwnerIds: [21, 22],
        url: receiver.url('/automation-list'),
      });
      const events = [
        wmsEvent({ goodsOwnerId: 21 }),
        wmsEvent({ goodsOwnerId: 22 }),
        wmsEvent({ goodsOwnerId: 23 }),
      ];
      await publishAndSettle(events, '/sentinel');
      await waitFor(() => receiver.at('/automation-list').length >= 2 || undefined, {
        message: 'two deliveries',
      });
      const owners = receiver.at('/automation-list').map((request) => JSON.parse(request.body).goodsOwnerId);
      expect(owners.sort()).toEqual([21, 22]);
    });

    it('delivers to an all-owners automation webhook the events of any goods owner', async () => {
      await createWebhook({
        kind: 'automation',
        goodsOwnerIds: [],
        allGoodsOwners: true,
        eventType: 'order.shipped',
        url: receiver.url('/automation-all'),
      });
      const events = [
        wmsEvent({ goodsOwnerId: 31, eventType: 'order.shipped' }),
        wmsEvent({ goodsOwnerId: 32, eventType: 'order.shipped' }),
      ];
      await pipeline.publish(events);
      await waitFor(() => receiver.at('/automation-all').length === 2 || undefined, {
        message: 'both deliveries',
      });
    });
  });

  describe('filters and enabled', () => {
    it('delivers only events whose attributes pass every filter', async () => {
      await createWebhook({
        goodsOwnerIds: [41],
        url: receiver.url('/filtered'),
        filters: { transporterCode: ['DHL', 'UPS'], orderType: ['B2B'] },
      });
      const passing = wmsEvent({
        goodsOwnerId: 41,
        attributes: { transporterCode: 'UPS', orderType: 'B2B' },
      });
      const wrongTransporter = wmsEvent({
        goodsOwnerId: 41,
        attributes: { transporterCode: 'PostNL', orderType: 'B2B' },
      });
      const missingAttribute = wmsEvent({ goodsOwnerId: 41, attributes: { transporterCode: 'DHL' } });
      await publishAndSettle([passing, wrongTransporter, missingAttribute], '/sentinel');
      await waitFor(() => receiver.at('/filtered').length === 1 || undefined, {
        message: 'the passing delivery',
      });
      expect(JSON.parse(receiver.at('/filtered')[0]!.body).eventId).toBe(passing.eventId);
    });

    it('sends nothing to a disabled webhook', async () => {
      await createWebhook({ goodsOwnerIds: [51], url: receiver.url('/disabled'), enabled: false });
      await publishAndSettle([wmsEvent({ goodsOwnerId: 51 })], '/sentinel');
      expect(receiver.at('/disabled')).toEqual([]);
    });
  });

  describe('the request a receiver sees', () => {
    it('carries basic auth, the additional headers byte-exact, the body and a verifiable signature', async () => {
      const { signingSecret } = await createWebhook({
        goodsOwnerIds: [61],
        url: receiver.url('/basic'),
        auth: { type: 'basic', username: 'wms-user', password: 'p@ss:w0rd' },
        headers: { 'X-Tenant': 'Acme B.V.', 'X-Trace-Token': 'a=b;c="d"' },
      });
      const event = wmsEvent({ goodsOwnerId: 61, warehouseId: 'RTM-2' });
      await pipeline.publish([event]);
      const request = await waitFor(() => receiver.at('/basic')[0], { message: 'the basic-auth delivery' });

      expect(request.method).toBe('POST');
      expect(request.headers.authorization).toBe(
        `Basic ${Buffer.from('wms-user:p@ss:w0rd').toString('base64')}`,
      );
      expect(request.headers['content-type']).toBe('application/json');
      const raw = Object.fromEntries(
        request.rawHeaders.flatMap((value, index, all) => (index % 2 === 0 ? [[value, all[index + 1]]] : [])),
      );
      expect(raw['X-Tenant']).toBe('Acme B.V.');
      expect(raw['X-Trace-Token']).toBe('a=b;c="d"');
      expect(request.headers['webhook-attempt']).toBe('1');
      expect(JSON.parse(request.body)).toEqual({
        eventId: event.eventId,
        eventType: 'order.picked',
        occurredAt: new Date(event.occurredAt).toISOString(),
        goodsOwnerId: 61,
        warehouseId: 'RTM-2',
        entityId: event.entityId,
        webhookId: expect.any(String),
        data: JSON.parse(event.payload),
      });
      const verified = new StandardWebhook(signingSecret).verify(request.body, {
        'webhook-id': request.headers['webhook-id'] as string,
        'webhook-timestamp': request.headers['webhook-timestamp'] as string,
        'webhook-signature': request.headers['webhook-signature'] as string,
      });
      expect(verified).toEqual(JSON.parse(request.body));
    });

    it('carries X-Auth-Token for token auth', async () => {
      await createWebhook({
        goodsOwnerIds: [62],
        url: receiver.url('/token'),
        auth: { type: 'token', token: 'tok-123' },
      });
      await pipeline.publish([wmsEvent({ goodsOwnerId: 62 })]);
      const request = await waitFor(() => receiver.at('/token')[0], { message: 'the token delivery' });
      expect(request.headers['x-auth-token']).toBe('tok-123');
      expect(request.headers.authorization).toBeUndefined();
    });

    it('keeps the same delivery id for the same event and webhook', async () => {
      await createWebhook({ goodsOwnerIds: [63], url: receiver.url('/redelivered') });
      const event = wmsEvent({ goodsOwnerId: 63 });
      await pipeline.publish([event]);
      await pipeline.publish([event]);
      await waitFor(() => receiver.at('/redelivered').length === 2 || undefined, { message: 'both copies' });
      const [first, second] = receiver.at('/redelivered');
      expect(first!.headers['webhook-id']).toBe(second!.headers['webhook-id']);
    });
  });
});
