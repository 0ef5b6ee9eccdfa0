import type { DeliveryTask, WmsEvent } from '@wms-webhooks/contracts';
import { testWebhook } from '@wms-webhooks/webhooks/testing';
import { describe, expect, it } from 'vitest';
import { deliveryIdFor } from './delivery-id';
import { type MatchBatchDeps, matchBatch } from './match-batch';

const event = (eventId: string, goodsOwnerId: number, eventType = 'order.picked'): WmsEvent => ({
  eventId,
  eventType,
  occurredAt: 1_000,
  goodsOwnerId,
  warehouseId: 'WH1',
  entityId: `ORD-${eventId}`,
  attributes: {},
  payload: '{}',
});

function recorder(
  webhooks = [testWebhook({ id: 'a', goodsOwnerIds: [1] }), testWebhook({ id: 'b', goodsOwnerIds: [1, 2] })],
) {
  const sends: Array<Array<{ key: string; value: DeliveryTask }>> = [];
  const matched: number[] = [];
  let emitted = 0;
  const deps: MatchBatchDeps = {
    webhooksFor: (eventType) => webhooks.filter((webhook) => webhook.eventType === eventType),
    send: async (records) => {
      sends.push(records);
    },
    now: () => 5_000,
    matched: (count) => matched.push(count),
    emitted: (count) => {
      emitted += count;
    },
  };
  return { deps, sends, matched, emitted: () => emitted };
}

describe('matching a batch of events', () => {
  it('plans one task per matching webhook, keyed by webhook, in event order, in one send', async () => {
    const { deps, sends, matched, emitted } = recorder();
    await matchBatch(deps, [event('e1', 1), event('e2', 2), event('e3', 1)]);
    expect(sends).toHaveLength(1);
    expect(sends[0]?.map((record) => [record.key, record.value.eventId])).toEqual([
      ['a', 'e1'],
      ['b', 'e1'],
      ['b', 'e2'],
      ['a', 'e3'],
      ['b', 'e3'],
    ]);
    expect(sends[0]?.[0]?.value).toMatchObject({
      deliveryId: deliveryIdFor('e1', 'a'),
      attempt: 1,
      createdAt: 5_000,
      origin: 'matcher',
    });
    expect(matched).toEqual([2, 1, 2]);
    expect(emitted()).toBe(5);
  });

  it('sends nothing when no webhook matches, and counts each event as matching none', async () => {
    const { deps, sends, matched, emitted } = recorder();
    await matchBatch(deps, [event('e1', 3), event('e2', 1, 'article.created')]);
    expect(sends).toEqual([]);
    expect(matched).toEqual([0, 0]);
    expect(emitted()).toBe(0);
  });

  it('counts nothing as emitted when the send fails, so the batch is retried whole', async () => {
    const { deps, emitted } = recorder();
    const failing = { ...deps, send: () => Promise.reject(new Error('broker away')) };
    await expect(matchBatch(failing, [event('e1', 1)])).rejects.toThrow('broker away');
    expect(emitted()).toBe(0);
  });

  describe('when a webhook allows several deliveries at once', () => {
    it('keys its tasks by lane, so they spread over partitions, at most that many lanes', async () => {
      const { deps, sends } = recorder([testWebhook({ id: 'wide', goodsOwnerIds: [1], maxConcurrency: 3 })]);
      await matchBatch(
        deps,
        Array.from({ length: 60 }, (_, index) => event(`e${index}`, 1)),
      );
      const keys = new Set(sends[0]?.map((record) => record.key));
      expect(keys).toEqual(new Set(['wide#0', 'wide#1', 'wide#2']));
    });
  });
});
