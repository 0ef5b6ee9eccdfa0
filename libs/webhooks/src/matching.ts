import type { WmsEvent } from '@wms-webhooks/contracts';
import type { Webhook } from './webhook';

export function coversGoodsOwner(webhook: Webhook, goodsOwnerId: number): boolean {
  return webhook.allGoodsOwners || webhook.goodsOwnerIds.includes(goodsOwnerId);
}

/** Every filter attribute must be present on the event with one of the allowed values. */
export function passesFilters(webhook: Webhook, attributes: Record<string, string>): boolean {
  return Object.entries(webhook.filters).every(([attribute, allowed]) => {
    const value = attributes[attribute];
    return value !== undefined && allowed.includes(value);
  });
}

/** The webhooks an event goes to, from the candidates registered for its type. */
export function matchWebhooks(candidates: readonly Webhook[], event: WmsEvent): Webhook[] {
  return candidates.filter(
    (webhook) =>
      webhook.eventType === event.eventType &&
      webhook.enabled &&
      coversGoodsOwner(webhook, event.goodsOwnerId) &&
      passesFilters(webhook, event.attributes),
  );
}
