import { SecretBox, SecretDecryptError } from '@wms-webhooks/secrets';
import type { Collection, Db } from 'mongodb';
import { settingDefaults, type Webhook, type WebhookAuth } from './webhook';

type WebhookDocument = Omit<Webhook, 'id' | 'previousSigningSecrets'> & {
  _id: string;
  previousSigningSecrets?: Webhook['previousSigningSecrets'];
};

/**
 * Webhook definitions in the store; the one source of truth the change feed points back to. The basic
 * password, the token and the signing secrets are sealed with the secret box on the way in and opened on
 * the way out, each bound to its webhook and field.
 */
export class WebhookRepository {
  private readonly collection: Collection<WebhookDocument>;

  constructor(
    db: Db,
    private readonly secrets: SecretBox,
  ) {
    this.collection = db.collection<WebhookDocument>('webhooks');
  }

  async ensureIndexes() {
    await this.collection.createIndex({ goodsOwnerIds: 1 });
    await this.collection.createIndex({ eventType: 1 });
  }

  private transformSecrets(
    webhook: Omit<WebhookDocument, '_id'>,
    id: string,
    change: (value: string, field: string) => string,
  ) {
    const field = (name: string) => `webhook:${id}:${name}`;
    const auth: WebhookAuth =
      webhook.auth.type === 'basic'
        ? { ...webhook.auth, password: change(webhook.auth.password, field('auth.password')) }
        : webhook.auth.type === 'token'
          ? { ...webhook.auth, token: change(webhook.auth.token, field('auth.token')) }
          : webhook.auth;
    return {
      ...webhook,
      auth,
      signingSecret: change(webhook.signingSecret, field('signingSecret')),
      previousSigningSecrets: (webhook.previousSigningSecrets ?? []).map((previous) => ({
        ...previous,
        secret: change(previous.secret, field('previousSigningSecret')),
      })),
    };
  }

  private toDocument({ id, ...rest }: Webhook): WebhookDocument {
    // Its secrets were never opened: writing it back would replace them with nothing.
    if (rest.unreadableSecrets) {
      throw new SecretDecryptError(
        `webhook ${id} cannot be saved while its stored secrets do not open (${rest.unreadableSecrets}); restore the key to the keyring first`,
      );
    }
    return { _id: id, ...this.transformSecrets(rest, id, (value, field) => this.secrets.seal(value, field)) };
  }

  /**
   * Every secret must open: a value that is not sealed is refused, since anyone who can write to the store
   * could put one there. A webhook whose secrets do not open (a key rotated out too early, a plaintext
   * value) is still read, with empty secrets and the reason, so one such webhook neither hides the others
   * nor stops a service from starting. Only the one-time migration (`resealAll` with `sealPlaintext`)
   * reads plaintext, to seal values stored before encryption.
   */
  private fromDocument(
    { _id, ...rest }: WebhookDocument,
    options: { acceptPlaintext?: boolean } = {},
  ): Webhook {
    try {
      const opened = this.transformSecrets(rest, _id, (value, field) =>
        options.acceptPlaintext && !SecretBox.isSealed(value) ? value : this.secrets.open(value, field),
      );
      return {
        id: _id,
        ...settingDefaults,
        ...opened,
        previousSigningSecrets: opened.previousSigningSecrets,
      };
    } catch (error) {
      if (!(error instanceof SecretDecryptError)) throw error;
      const emptied = this.transformSecrets(rest, _id, () => '');
      return {
        id: _id,
        ...settingDefaults,
        ...emptied,
        previousSigningSecrets: [],
        unreadableSecrets: error.message,
      };
    }
  }

  async insert(webhook: Webhook) {
    await this.collection.insertOne(this.toDocument(webhook));
  }

  /** Replaces the definition only if nobody changed it since `expectedVersion` was read. */
  async replace(webhook: Webhook, expectedVersion: number): Promise<boolean> {
    const { _id, ...rest } = this.toDocument(webhook);
    const result = await this.collection.replaceOne({ _id, version: expectedVersion }, rest);
    return result.matchedCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: id })).deletedCount === 1;
  }

  async findById(id: string): Promise<Webhook | undefined> {
    const document = await this.collection.findOne({ _id: id });
    return document ? this.fromDocument(document) : undefined;
  }

  /** Webhooks that fire for a goods owner: its regular and automation webhooks, and those for all owners. */
  async listForGoodsOwner(goodsOwnerId: number): Promise<Webhook[]> {
    const documents = await this.collection
      .find({ $or: [{ goodsOwnerIds: goodsOwnerId }, { allGoodsOwners: true }] })
      .sort({ createdAt: -1 })
      .toArray();
    return documents.map((document) => this.fromDocument(document));
  }

  /** Webhooks that name this goods owner (not those for all owners): what its quota counts. */
  async countForGoodsOwner(goodsOwnerId: number): Promise<number> {
    return this.collection.countDocuments({ goodsOwnerIds: goodsOwnerId });
  }

  async listAll(): Promise<Webhook[]> {
    const documents = await this.collection.find({}).sort({ createdAt: -1 }).toArray();
    return documents.map((document) => this.fromDocument(document));
  }

  /**
   * After the encryption key is rotated (new key first in the keyring): re-seals every secret not sealed
   * with the new key. The definition's version is kept, since nothing a service acts on changed.
   * Plaintext values (stored before encryption, or planted) are listed by webhook, and sealed only with
   * `sealPlaintext`, so an operator seals what they have looked at.
   */
  async resealAll(
    options: { sealPlaintext?: boolean } = {},
  ): Promise<{ examined: number; resealed: number; plaintext: string[] }> {
    let examined = 0;
    let resealed = 0;
    const plaintext: string[] = [];
    for await (const document of this.collection.find({})) {
      examined += 1;
      let stale = false;
      let unsealed = false;
      this.transformSecrets(document, document._id, (value) => {
        if (!SecretBox.isSealed(value)) unsealed = true;
        else if (this.secrets.needsReseal(value)) stale = true;
        return value;
      });
      if (unsealed) plaintext.push(document._id);
      if (!(stale || (unsealed && options.sealPlaintext))) continue;
      const opened = this.fromDocument(document, { acceptPlaintext: options.sealPlaintext });
      if (opened.unreadableSecrets) continue;
      const { _id, ...rest } = this.toDocument(opened);
      const result = await this.collection.replaceOne({ _id, version: document.version }, rest);
      resealed += result.modifiedCount;
    }
    return { examined, resealed, plaintext };
  }
}
