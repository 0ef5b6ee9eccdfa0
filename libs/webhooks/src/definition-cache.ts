import type { WebhookChange } from '@wms-webhooks/contracts';
import type { Webhook } from './webhook';

export interface DefinitionSource {
  findById(id: string): Promise<Webhook | undefined>;
  listAll(): Promise<Webhook[]>;
}

/**
 * Every webhook definition, in memory, indexed by event type, so matching and sending cost no store
 * query per event. Filled by a full load, kept current by change notices (re-reading only the changed
 * webhook), and healed by periodic full reloads in case a notice was never published.
 */
export class DefinitionCache {
  private readonly byId = new Map<string, Webhook>();
  private byType = new Map<string, Webhook[]>();
  /** Versions of deleted webhooks, so a late UPSERTED notice cannot resurrect one. */
  private readonly deletedAt = new Map<string, number>();

  constructor(private readonly source: DefinitionSource) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Webhook | undefined {
    return this.byId.get(id);
  }

  forEventType(eventType: string): readonly Webhook[] {
    return this.byType.get(eventType) ?? [];
  }

  async reload(): Promise<void> {
    const all = await this.source.listAll();
    this.byId.clear();
    for (const webhook of all) this.byId.set(webhook.id, webhook);
    this.reindex();
  }

  /** Applies a notice; returns whether the cache changed. */
  async apply(change: WebhookChange): Promise<boolean> {
    const cached = this.byId.get(change.webhookId);
    if (cached && cached.version >= change.version) return false;
    if (change.change === 'DELETED') {
      this.deletedAt.set(change.webhookId, change.version);
      if (!cached) return false;
      this.byId.delete(change.webhookId);
      this.reindex();
      return true;
    }
    if ((this.deletedAt.get(change.webhookId) ?? -1) >= change.version) return false;
    const current = await this.source.findById(change.webhookId);
    if (!current) {
      if (!cached) return false;
      this.byId.delete(change.webhookId);
    } else {
      this.byId.set(current.id, current);
    }
    this.reindex();
    return true;
  }

  private reindex() {
    const byType = new Map<string, Webhook[]>();
    for (const webhook of this.byId.values()) {
      const list = byType.get(webhook.eventType) ?? [];
      list.push(webhook);
      byType.set(webhook.eventType, list);
    }
    this.byType = byType;
  }
}
