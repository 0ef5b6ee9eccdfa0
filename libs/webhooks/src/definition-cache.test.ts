import type { WebhookChange } from '@wms-webhooks/contracts';
import { describe, expect, it } from 'vitest';
import { DefinitionCache, type DefinitionSource } from './definition-cache';
import { testWebhook } from './test-webhook';
import type { Webhook } from './webhook';

/** An in-memory source that counts store reads. */
class MemorySource implements DefinitionSource {
  readonly webhooks = new Map<string, Webhook>();
  reads = 0;

  async findById(id: string) {
    this.reads++;
    return this.webhooks.get(id);
  }

  async listAll() {
    return [...this.webhooks.values()];
  }
}

const change = (
  webhookId: string,
  version: number,
  kind: WebhookChange['change'] = 'UPSERTED',
): WebhookChange => ({
  webhookId,
  version,
  change: kind,
  changedAt: 0,
});

describe('DefinitionCache', () => {
  it('indexes a full load by event type', async () => {
    const source = new MemorySource();
    source.webhooks.set('a', testWebhook({ id: 'a' }));
    source.webhooks.set('b', testWebhook({ id: 'b', eventType: 'order.shipped' }));
    const cache = new DefinitionCache(source);
    await cache.reload();
    expect(cache.forEventType('order.picked').map((webhook) => webhook.id)).toEqual(['a']);
    expect(cache.forEventType('order.cancelled')).toEqual([]);
  });

  it('re-reads a webhook only for a notice newer than what it holds', async () => {
    const source = new MemorySource();
    source.webhooks.set('a', testWebhook({ id: 'a', version: 2 }));
    const cache = new DefinitionCache(source);
    await cache.reload();
    expect(await cache.apply(change('a', 2))).toBe(false);
    expect(source.reads).toBe(0);
    source.webhooks.set('a', testWebhook({ id: 'a', version: 3, url: 'https://new.example' }));
    expect(await cache.apply(change('a', 3))).toBe(true);
    expect(cache.get('a')?.url).toBe('https://new.example');
  });

  it('moves a webhook between types when its type changes', async () => {
    const source = new MemorySource();
    source.webhooks.set('a', testWebhook({ id: 'a' }));
    const cache = new DefinitionCache(source);
    await cache.reload();
    source.webhooks.set('a', testWebhook({ id: 'a', version: 2, eventType: 'order.shipped' }));
    await cache.apply(change('a', 2));
    expect(cache.forEventType('order.picked')).toEqual([]);
    expect(cache.forEventType('order.shipped').map((webhook) => webhook.id)).toEqual(['a']);
  });

  it('drops a deleted webhook and ignores an older upsert notice arriving late', async () => {
    const source = new MemorySource();
    source.webhooks.set('a', testWebhook({ id: 'a', version: 1 }));
    const cache = new DefinitionCache(source);
    await cache.reload();
    source.webhooks.delete('a');
    expect(await cache.apply(change('a', 2, 'DELETED'))).toBe(true);
    expect(cache.get('a')).toBeUndefined();
    expect(await cache.apply(change('a', 1))).toBe(false);
    expect(cache.size).toBe(0);
  });
});
