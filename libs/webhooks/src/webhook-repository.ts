import type { Collection, Db } from 'mongodb';
import type { Webhook } from './webhook';

type WebhookDocument = Omit<Webhook, 'id'> & { _id: string };

function fromDocument({ _id, ...rest }: WebhookDocument): Webhook {
  return { id: _id, ...rest };
}

/** Webhook definitions in the store; the one source of truth the change feed points back to. */
export class WebhookRepository {
  private readonly collection: Collection<WebhookDocument>;

  constructor(db: Db) {
    this.collection = db.collection<WebhookDocument>('webhooks');
  }

  async ensureIndexes() {
    await this.collection.createIndex({ goodsOwnerIds: 1 });
    await this.collection.createIndex({ eventType: 1 });
  }

  async insert(webhook: Webhook) {
    const { id, ...rest } = webhook;
    await this.collection.insertOne({ _id: id, ...rest });
  }

  /** Replaces the definition only if nobody changed it since `expectedVersion` was read. */
  async replace(webhook: Webhook, expectedVersion: number): Promise<boolean> {
    const { id, ...rest } = webhook;
    const result = await this.collection.replaceOne({ _id: id, version: expectedVersion }, rest);
    return result.matchedCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: id })).deletedCount === 1;
  }

  async findById(id: string): Promise<Webhook | undefined> {
    const document = await this.collection.findOne({ _id: id });
    return document ? fromDocument(document) : undefined;
  }

  /** Webhooks that fire for a goods owner: its regular and automation webhooks, and those for all owners. */
  async listForGoodsOwner(goodsOwnerId: number): Promise<Webhook[]> {
    const documents = await this.collection
      .find({ $or: [{ goodsOwnerIds: goodsOwnerId }, { allGoodsOwners: true }] })
      .sort({ createdAt: -1 })
      .toArray();
    return documents.map(fromDocument);
  }

  async listAll(): Promise<Webhook[]> {
    return (await this.collection.find({}).sort({ createdAt: -1 }).toArray()).map(fromDocument);
  }
}
