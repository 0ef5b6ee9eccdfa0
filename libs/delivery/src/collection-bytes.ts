import type { Db } from 'mongodb';

/** What a collection takes in the store, its indexes included, as `collStats` reports it. */
export async function collectionBytes(db: Db, name: string): Promise<number> {
  const stats = await db.command({ collStats: name });
  return Number(stats.storageSize ?? stats.size ?? 0) + Number(stats.totalIndexSize ?? 0);
}
