import { createHash, randomBytes, randomUUID } from 'node:crypto';
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

type ApiKeyDocument = Omit<ApiKeyRecord, 'id'> & { _id: string; hash: string };

export const seededAdminKeyId = 'seeded-admin';

/** Keys are 256 random bits, so one SHA-256 is a sound stored form: there is nothing to brute-force. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function newApiKey(): string {
  return `wmk_${randomBytes(32).toString('base64url')}`;
}

function toRecord({ _id, hash: _hash, ...rest }: ApiKeyDocument): ApiKeyRecord {
  return { id: _id, ...rest };
}

/** API keys in the store, by hash only: the key itself is shown once, at creation. */
export class ApiKeyRepository {
  private readonly collection: Collection<ApiKeyDocument>;

  constructor(db: Db) {
    this.collection = db.collection<ApiKeyDocument>('api_keys');
  }

  async ensureIndexes() {
    await this.collection.createIndex({ hash: 1 }, { unique: true });
  }

  async create(input: Pick<ApiKeyRecord, 'name' | 'role' | 'goodsOwnerIds'>, now: Date) {
    const key = newApiKey();
    const document: ApiKeyDocument = {
      _id: randomUUID(),
      ...input,
      goodsOwnerIds: input.role === 'admin' ? [] : input.goodsOwnerIds,
      hint: key.slice(0, 8),
      hash: hashApiKey(key),
      createdAt: now,
      revokedAt: null,
    };
    await this.collection.insertOne(document);
    return { key, record: toRecord(document) };
  }

  /** WEBHOOKS_ADMIN_KEY at start: the seeded admin key takes that value, replacing an earlier one. */
  async seedAdmin(key: string, now: Date) {
    await this.collection.deleteOne({ _id: seededAdminKeyId });
    await this.collection.insertOne({
      _id: seededAdminKeyId,
      name: 'admin (WEBHOOKS_ADMIN_KEY)',
      role: 'admin',
      goodsOwnerIds: [],
      hint: key.slice(0, 4),
      hash: hashApiKey(key),
      createdAt: now,
      revokedAt: null,
    });
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    const document = await this.collection.findOne({ hash: hashApiKey(key), revokedAt: null });
    if (!document) return undefined;
    return document.role === 'admin'
      ? { keyId: document._id, name: document.name, role: 'admin' }
      : {
          keyId: document._id,
          name: document.name,
          role: 'goods-owner',
          goodsOwnerIds: document.goodsOwnerIds,
        };
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
