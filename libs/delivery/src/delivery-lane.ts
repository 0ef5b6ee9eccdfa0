import type { Webhook } from '@wms-webhooks/webhooks';
import { stableHash } from './stable-hash';

/**
 * The lane a delivery goes in: the key it has on the delivery topics and in a worker's queue. A webhook
 * that allows one delivery at a time has one lane, its id, so its deliveries go in order. One that
 * allows n has n lanes, `id#0` … `id#n-1`, a delivery's chosen by its id: each lane is still one at a
 * time, so at most n of its deliveries are in flight however many partitions and processes serve them.
 */
export function deliveryLane(webhook: Pick<Webhook, 'id' | 'maxConcurrency'>, deliveryId: string): string {
  if (webhook.maxConcurrency <= 1) return webhook.id;
  return `${webhook.id}#${stableHash(deliveryId) % webhook.maxConcurrency}`;
}
