import type { WmsEvent } from '@wms-webhooks/contracts';
import { describe, expect, it } from 'vitest';
import { matchWebhooks } from './matching';
import { testWebhook } from './test-webhook';

const event = (overrides: Partial<WmsEvent> = {}): WmsEvent => ({
  eventId: 'e',
  eventType: 'order.picked',
  occurredAt: 1,
  goodsOwnerId: 7,
  warehouseId: null,
  entityId: 'ORD-1',
  attributes: { transporterCode: 'DHL', orderType: 'B2C' },
  payload: '{}',
  ...overrides,
});

describe('matchWebhooks', () => {
  const regular = testWebhook({ id: 'regular', goodsOwnerIds: [7] });
  const otherOwner = testWebhook({ id: 'other', goodsOwnerIds: [8] });
  const automation = testWebhook({ id: 'automation', kind: 'automation', goodsOwnerIds: [6, 7] });
  const everyone = testWebhook({
    id: 'everyone',
    kind: 'automation',
    goodsOwnerIds: [],
    allGoodsOwners: true,
  });
  const disabled = testWebhook({ id: 'disabled', goodsOwnerIds: [7], enabled: false });
  const otherType = testWebhook({ id: 'shipped', goodsOwnerIds: [7], eventType: 'order.shipped' });

  it('matches type, enabled and goods-owner scope', () => {
    const matched = matchWebhooks([regular, otherOwner, automation, everyone, disabled, otherType], event());
    expect(matched.map((webhook) => webhook.id)).toEqual(['regular', 'automation', 'everyone']);
  });

  it('requires every filter to pass', () => {
    const both = testWebhook({
      filters: { transporterCode: ['DHL', 'UPS'], orderType: ['B2B'] },
      goodsOwnerIds: [7],
    });
    expect(matchWebhooks([both], event())).toEqual([]);
    expect(
      matchWebhooks([both], event({ attributes: { transporterCode: 'UPS', orderType: 'B2B' } })),
    ).toEqual([both]);
  });

  it('fails a filter whose attribute the event lacks', () => {
    const filtered = testWebhook({ filters: { transporterCode: ['DHL'] }, goodsOwnerIds: [7] });
    expect(matchWebhooks([filtered], event({ attributes: {} }))).toEqual([]);
  });

  describe('when a webhook filters on warehouse', () => {
    it("matches the event's own warehouse, not an attribute", () => {
      const amsterdam = testWebhook({ filters: { warehouseId: ['AMS-1'] }, goodsOwnerIds: [7] });
      expect(matchWebhooks([amsterdam], event({ warehouseId: 'AMS-1' }))).toEqual([amsterdam]);
      expect(matchWebhooks([amsterdam], event({ warehouseId: 'RTM-2' }))).toEqual([]);
      expect(matchWebhooks([amsterdam], event({ warehouseId: null }))).toEqual([]);
    });
  });

  describe('when a webhook filters on a status change', () => {
    const statusEvent = (fromStatus: string, toStatus: string) =>
      event({ eventType: 'order.status_changed', attributes: { fromStatus, toStatus } });
    const anyTo400 = testWebhook({
      eventType: 'order.status_changed',
      filters: { toStatus: ['400'] },
      goodsOwnerIds: [7],
    });
    const from200To400 = testWebhook({
      eventType: 'order.status_changed',
      filters: { fromStatus: ['200'], toStatus: ['400'] },
      goodsOwnerIds: [7],
    });

    it('matches "any → 400" from every status, and "200 → 400" only from 200', () => {
      expect(matchWebhooks([anyTo400, from200To400], statusEvent('200', '400'))).toEqual([
        anyTo400,
        from200To400,
      ]);
      expect(matchWebhooks([anyTo400, from200To400], statusEvent('300', '400'))).toEqual([anyTo400]);
      expect(matchWebhooks([anyTo400, from200To400], statusEvent('200', '500'))).toEqual([]);
    });
  });
});
