import type { WmsEvent } from '@wms-webhooks/contracts';
import type { Webhook } from './webhook';

export function coversGoodsOwner(webhook: Webhook, goodsOwnerId: number): boolean {
  return webhook.allGoodsOwners || webhook.goodsOwnerIds.includes(goodsOwnerId);
}

/**
 * Every filter attribute must be present on the event with one of the allowed values. `warehouseId` is
 * the event's own field, which every type has; the rest are its attributes.
 */
export function passesFilters(
  webhook: Webhook,
  event: Pick<WmsEvent, 'warehouseId' | 'attributes'>,
): boolean {
  for (const attribute in webhook.filters) {
    const value = attribute === 'warehouseId' ? event.warehouseId : event.attributes[attribute];
    if (value === undefined || value === null || !webhook.filters[attribute]?.includes(value)) return false;
  }
  return true;
}

/** The webhooks an event goes to, from the candidates registered for its type. */
export function matchWebhooks(candidates: readonly Webhook[], event: WmsEvent): Webhook[] {
  return candidates.filter(
    (webhook) =>
      webhook.eventType === event.eventType &&
      webhook.enabled &&
      coversGoodsOwner(webhook, event.goodsOwnerId) &&
      passesFilters(webhook, event),
  );
}
