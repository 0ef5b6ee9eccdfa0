import type { WmsEvent } from '@wms-webhooks/contracts';
import { deliveryIdFor } from '@wms-webhooks/delivery';
import { matchWebhooks, type Webhook } from '@wms-webhooks/webhooks';

export interface WebhookMix {
  webhooks: number;
  goodsOwners: number;
  allOwnerWebhooks: number;
  allOwnerConcurrency: number;
}

/**
 * W webhooks over G goods owners, a mix like a real tenant base: mostly regular order.picked webhooks,
 * every fifth an automation webhook over three owners, the first `allOwnerWebhooks` twentieths for all
 * owners, every third filtered on orderType, and every seventh on order.shipped.
 */
export function webhookBodies(mix: WebhookMix, receiverUrl: string) {
  return Array.from({ length: mix.webhooks }, (_, index) => {
    const owner = (index % mix.goodsOwners) + 1;
    const allOwners = index % 20 === 19 && Math.floor(index / 20) < mix.allOwnerWebhooks;
    const automation = allOwners || index % 5 === 4;
    return {
      name: `bench ${index + 1}`,
      eventType: index % 7 === 6 ? 'order.shipped' : 'order.picked',
      kind: automation ? 'automation' : 'regular',
      goodsOwnerIds: allOwners
        ? []
        : automation
          ? [owner, (owner % mix.goodsOwners) + 1, ((owner + 1) % mix.goodsOwners) + 1].filter(
              (id, at, all) => all.indexOf(id) === at,
            )
          : [owner],
      allGoodsOwners: allOwners,
      url: `${receiverUrl}/w/${index + 1}`,
      email: 'bench@example.com',
      auth: index % 2 === 0 ? { type: 'token', token: `bench-token-${index}` } : { type: 'none' },
      headers: { 'X-Bench': 'yes' },
      filters: index % 3 === 2 ? { orderType: ['B2C'] } : {},
      retryPolicy: 'one-day',
      enabled: true,
      maxConcurrency: allOwners ? mix.allOwnerConcurrency : 1,
    };
  });
}

/** The delivery ids an event causes, by the same rule the matcher applies: one per webhook it matches. */
export function expectedDeliveryIds(webhooks: readonly Webhook[], event: WmsEvent): string[] {
  return matchWebhooks(webhooks, event).map((webhook) => deliveryIdFor(event.eventId, webhook.id));
}
