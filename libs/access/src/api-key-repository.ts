import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { Principal } from './principal';

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: 'admin' | 'goods-owner';
  goodsOwnerIds: number[];
  /** The first characters of the key, so an operator can tell keys apart without the secret. */
  hint: string;
  createdAt: Date;
  revokedAt: Date | null;
}

type ApiKeyDocument = Omit<ApiKeyRecord, 'id'> & {
  _id: string;
  hash: string;
  /** The server key the hash was made with; absent on the unkeyed SHA-256 of earlier versions. */
  hashKeyId?: string;
  /** Seeded from WEBHOOKS_ADMIN_KEY rather than created through the API. */
  seeded?: boolean;
};

/** Server keys for hashing API keys, the current one first (derived from the secret keyring). */
export interface HashKey {
  id: string;
  key: Buffer;
}

export type SeedOutcome = 'seeded' | 'kept' | 'revoked';

const seededName = 'admin (WEBHOOKS_ADMIN_KEY)';

export function newApiKey(): string {
  return `wmk_${randomBytes(32).toString('base64url')}`;
}

const unkeyedHash = (key: string) => createHash('sha256').update(key).digest('hex');

function toRecord({
  _id,
  hash: _hash,
  hashKeyId: _keyId,
  seeded: _seeded,
  ...rest
}: ApiKeyDocument): ApiKeyRecord {
  return { id: _id, ...rest };
}

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

/**
 * API keys in the store, by keyed hash only (HMAC-SHA-256 with a server key): the key itself is shown
 * once, at creation, and a copy of the store is no oracle for guesses. A key hashed with an older server
 * key, or by an earlier version without one, is re-hashed with the current key when it is next used.
 */
export class ApiKeyRepository {
  private readonly collection: Collection<ApiKeyDocument>;

  constructor(
    db: Db,
    private readonly hashKeys: readonly HashKey[],
  ) {
    if (hashKeys.length === 0) throw new Error('API keys need at least one server key to hash with');
    this.collection = db.collection<ApiKeyDocument>('api_keys');
  }

  async ensureIndexes() {
    await this.collection.createIndex({ hash: 1 }, { unique: true });
  }

  private current(key: string) {
    const { id, key: secret } = this.hashKeys[0] as HashKey;
    return { hash: createHmac('sha256', secret).update(key).digest('hex'), hashKeyId: id };
  }

  /** Every form this key may be stored under: with each server key, and unkeyed from before. */
  private candidates(key: string): string[] {
    return [
      ...this.hashKeys.map(({ key: secret }) => createHmac('sha256', secret).update(key).digest('hex')),
      unkeyedHash(key),
    ];
  }

  private async find(key: string) {
    const document = await this.collection.findOne({ hash: { $in: this.candidates(key) } });
    if (document && document.hashKeyId !== this.current(key).hashKeyId) {
      await this.collection
        .updateOne({ _id: document._id, hash: document.hash }, { $set: this.current(key) })
        .catch(() => undefined);
    }
    return document;
  }

  async create(input: Pick<ApiKeyRecord, 'name' | 'role' | 'goodsOwnerIds'>, now: Date) {
    const key = newApiKey();
    const document: ApiKeyDocument = {
      _id: randomUUID(),
      ...input,
      goodsOwnerIds: input.role === 'admin' ? [] : input.goodsOwnerIds,
      hint: key.slice(0, 8),
      ...this.current(key),
      createdAt: now,
      revokedAt: null,
    };
    await this.collection.insertOne(document);
    return { key, record: toRecord(document) };
  }

  /**
   * WEBHOOKS_ADMIN_KEY at start. A key seen before is kept as it is: if it was revoked it stays revoked,
   * whatever the environment says. A new key replaces the seeded key before it, which is revoked.
   */
  async seedAdmin(key: string, now: Date): Promise<SeedOutcome> {
    const existing = await this.find(key);
    if (existing) return existing.revokedAt ? 'revoked' : 'kept';
    await this.collection.updateMany(
      { $or: [{ seeded: true }, { name: seededName }], revokedAt: null },
      { $set: { revokedAt: now } },
    );
    try {
      await this.collection.insertOne({
        _id: randomUUID(),
        name: seededName,
        role: 'admin',
        goodsOwnerIds: [],
        hint: key.slice(0, 4),
        ...this.current(key),
        seeded: true,
        createdAt: now,
        revokedAt: null,
      });
    } catch (error) {
      // Another api replica seeded the same key at the same moment.
      if (!isDuplicateKey(error)) throw error;
    }
    return 'seeded';
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    const document = await this.find(key);
    if (!document || document.revokedAt) return undefined;
    return document.role === 'admin'
      ? { keyId: document._id, name: document.name, role: 'admin' }
      : {
          keyId: document._id,
          name: document.name,
          role: 'goods-owner',
          goodsOwnerIds: document.goodsOwnerIds,
        };
  }

  /**
   * Keys in use that are not hashed with the current server key yet: each moves when next used, and stops
   * working once the keyring key it was hashed with is dropped.
   */
  async notYetRehashed(): Promise<ApiKeyRecord[]> {
    const current = (this.hashKeys[0] as HashKey).id;
    const documents = await this.collection.find({ revokedAt: null }).toArray();
    return documents.filter((document) => document.hashKeyId !== current).map(toRecord);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.collection.find({}).sort({ createdAt: -1 }).toArray()).map(toRecord);
  }

  async revoke(id: string, now: Date): Promise<boolean> {
    const result = await this.collection.updateOne(
      { _id: id, revokedAt: null },
      { $set: { revokedAt: now } },
    );
    return result.matchedCount === 1;
  }
}
