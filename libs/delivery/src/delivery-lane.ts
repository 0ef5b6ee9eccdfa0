import type { Webhook } from '@wms-webhooks/webhooks';

/** FNV-1a: cheap, and the same in every process, so a delivery keeps its lane wherever it is consumed. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/**
 * The lane a delivery goes in: the key it has on the delivery topics and in a worker's queue. A webhook
 * that allows one delivery at a time has one lane, its id, so its deliveries go in order. One that
 * allows n has n lanes, `id#0` … `id#n-1`, a delivery's chosen by its id: each lane is still one at a
 * time, so at most n of its deliveries are in flight however many partitions and processes serve them.
 */
export function deliveryLane(webhook: Pick<Webhook, 'id' | 'maxConcurrency'>, deliveryId: string): string {
  if (webhook.maxConcurrency <= 1) return webhook.id;
  return `${webhook.id}#${hash(deliveryId) % webhook.maxConcurrency}`;
}
