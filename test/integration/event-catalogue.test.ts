import { Parser } from '@asyncapi/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wmsEvent } from '../support/events';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait-for';

interface CatalogueItem {
  eventType: string;
  filters: Array<{ attribute: string; description: string }>;
  sample: { payload: Record<string, unknown> };
  payloadSchema: { type: string };
}

describe('the event catalogue', () => {
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

  const create = async (overrides: Record<string, unknown>) => (await pipeline.createWebhook(overrides)).id;
  const ordersOf = (path: string) =>
    receiver.at(path).map((request) => (JSON.parse(request.body) as { entityId: string }).entityId);

  describe('GET /api/catalogue', () => {
    it('describes every type with its filters, sample and payload schema', async () => {
      const catalogue = (await (await pipeline.api('/api/catalogue')).json()) as {
        version: string;
        items: CatalogueItem[];
      };
      expect(catalogue.items.length).toBeGreaterThanOrEqual(29);
      const statusChanged = catalogue.items.find(
        (item) => item.eventType === 'purchase_order.status_changed',
      );
      expect(statusChanged?.filters.map((filter) => filter.attribute)).toEqual(
        expect.arrayContaining(['warehouseId', 'fromStatus', 'toStatus']),
      );
      expect(statusChanged?.payloadSchema.type).toBe('object');
      const articleItem = catalogue.items.find((item) => item.eventType === 'article_item.status_changed');
      expect(articleItem?.sample.payload).toMatchObject({
        previous: { status: '200' },
        current: { status: '400' },
      });
    });
  });

  describe('GET /api/catalogue/asyncapi.json', () => {
    it('serves, without a key, an AsyncAPI 3 document the AsyncAPI parser accepts', async () => {
      const response = await fetch(`${pipeline.apiUrl}/api/catalogue/asyncapi.json`);
      expect(response.status).toBe(200);
      const { document, diagnostics } = await new Parser().parse(await response.text());
      expect(diagnostics.filter((diagnostic) => diagnostic.severity === 0)).toEqual([]);
      expect(document?.version()).toBe('3.0.0');
      const messages = document?.messages().all() ?? [];
      expect(messages.map((message) => message.name())).toContain('movement_order.executed');
    });
  });

  describe('when webhooks filter on a status change', () => {
    it('delivers "any → 400" from every status and "200 → 400" only from 200', async () => {
      const anyTo400 = await create({
        eventType: 'order.status_changed',
        goodsOwnerIds: [801],
        url: receiver.url('/any-to-400'),
        filters: { toStatus: ['400'] },
      });
      const from200To400 = await create({
        eventType: 'order.status_changed',
        goodsOwnerIds: [801],
        url: receiver.url('/200-to-400'),
        filters: { fromStatus: ['200'], toStatus: ['400'] },
      });
      expect(anyTo400).not.toBe(from200To400);
      const change = (entityId: string, fromStatus: string, toStatus: string) =>
        wmsEvent({
          eventType: 'order.status_changed',
          goodsOwnerId: 801,
          entityId,
          attributes: { fromStatus, toStatus },
        });
      await pipeline.publish([
        change('ORD-A', '200', '400'),
        change('ORD-B', '300', '400'),
        change('ORD-C', '200', '500'),
        change('ORD-D', '100', '200'),
      ]);

      await waitFor(() => (receiver.at('/any-to-400').length >= 2 ? true : undefined), {
        message: 'both changes to 400 delivered',
      });
      await waitFor(() => (receiver.at('/200-to-400').length >= 1 ? true : undefined));
      // A later event for the same key delivered proves nothing else was on its way.
      await pipeline.publish([change('ORD-E', '200', '400')]);
      await waitFor(() => (receiver.at('/200-to-400').length >= 2 ? true : undefined));
      expect(ordersOf('/any-to-400').sort()).toEqual(['ORD-A', 'ORD-B', 'ORD-E']);
      expect(ordersOf('/200-to-400').sort()).toEqual(['ORD-A', 'ORD-E']);
    });
  });

  describe('when a webhook of a new type filters on warehouse', () => {
    it("delivers only its warehouse's events, with the type's payload", async () => {
      await create({
        eventType: 'article_item.status_changed',
        goodsOwnerIds: [802],
        url: receiver.url('/items-ams'),
        filters: { warehouseId: ['AMS-1'] },
      });
      const item = (entityId: string, warehouseId: string) =>
        wmsEvent({
          eventType: 'article_item.status_changed',
          goodsOwnerId: 802,
          warehouseId,
          entityId,
          attributes: { fromStatus: '200', toStatus: '400' },
          payload: JSON.stringify({
            articleItemId: entityId,
            previous: { status: '200' },
            current: { status: '400' },
          }),
        });
      await pipeline.publish([item('ITEM-RTM', 'RTM-2'), item('ITEM-AMS', 'AMS-1')]);
      await waitFor(() => (receiver.at('/items-ams').length >= 1 ? true : undefined));
      await pipeline.publish([item('ITEM-AMS-2', 'AMS-1')]);
      await waitFor(() => (receiver.at('/items-ams').length >= 2 ? true : undefined));
      expect(ordersOf('/items-ams')).toEqual(['ITEM-AMS', 'ITEM-AMS-2']);
      const body = JSON.parse(receiver.at('/items-ams')[0]?.body ?? '{}') as {
        data: unknown;
        warehouseId: string;
      };
      expect(body).toMatchObject({
        warehouseId: 'AMS-1',
        data: { previous: { status: '200' }, current: { status: '400' } },
      });
    });
  });

  describe('when an operator presses Test on a webhook of a new type', () => {
    it("sends the type's sample", async () => {
      const id = await create({
        eventType: 'movement_order.executed',
        goodsOwnerIds: [803],
        url: receiver.url('/moves'),
      });
      expect((await pipeline.api(`/api/webhooks/${id}/test`, { method: 'POST' })).status).toBe(202);
      await waitFor(() => (receiver.at('/moves').length >= 1 ? true : undefined));
      expect(JSON.parse(receiver.at('/moves')[0]?.body ?? '{}')).toMatchObject({
        eventType: 'movement_order.executed',
        data: { movementOrderId: 'MOV-TEST-0001', movementType: 'replenishment' },
      });
    });
  });
});
