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
});
