import { createHash, randomUUID } from 'node:crypto';

/**
 * The same (event, webhook) always gets the same delivery id, so a record re-delivered after a crash
 * or rebalance, and every retry, reaches the receiver under one id it can de-duplicate on.
 * Formatted as an RFC 9562 version 8 (custom) UUID.
 */
export function deliveryIdFor(eventId: string, webhookId: string): string {
  const bytes = createHash('sha256').update(`${eventId}\u0000${webhookId}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Test deliveries are one-off: each press of Test is its own delivery. */
export function testDeliveryId(): string {
  return randomUUID();
}
