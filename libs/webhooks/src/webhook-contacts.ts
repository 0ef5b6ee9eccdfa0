import type { Collection, Db } from 'mongodb';

export interface WebhookContactView {
  id: string;
  name: string;
  url: string;
  email: string;
}

/** Who to tell about a webhook: name, URL and email only, so a reader of these needs no decryption key. */
export class WebhookContacts {
  private readonly collection: Collection<{ _id: string; name: string; url: string; email: string }>;

  constructor(db: Db) {
    this.collection = db.collection('webhooks');
  }

  async find(id: string): Promise<WebhookContactView | undefined> {
    const document = await this.collection.findOne(
      { _id: id },
      { projection: { name: 1, url: 1, email: 1 } },
    );
    return document
      ? { id: document._id, name: document.name, url: document.url, email: document.email }
      : undefined;
  }
}
