import type { Db } from 'mongodb';

/** What a collection takes in the store, its indexes included, as `collStats` reports it. */
export async function collectionBytes(db: Db, name: string): Promise<number> {
  const stats = await db.command({ collStats: name });
  return Number(stats.storageSize ?? stats.size ?? 0) + Number(stats.totalIndexSize ?? 0);
}

/**
 * How stale the size of a collection still written may be. FerretDB on SQLite reads a collection whole
 * to answer `collStats`, so a busy bucket measured every minute cost the store seconds of CPU each
 * minute (docs/performance.md).
 */
const openRemeasureMs = 600_000;

export interface MeasuredSize {
  bytes: number;
  at: number;
  /** No longer written: its size is read once. */
  closed: boolean;
}

/**
 * A collection's size from `measured`, asked of the store when it was never measured, or when it was
 * still written at its last measurement ten minutes or more ago.
 */
export async function measuredBytes(
  db: Db,
  name: string,
  measured: Map<string, MeasuredSize>,
  now: number,
  closed: boolean,
): Promise<number> {
  let sizes = measured.get(name);
  if (!sizes || (!sizes.closed && now - sizes.at >= openRemeasureMs)) {
    sizes = { bytes: await collectionBytes(db, name), at: now, closed };
    measured.set(name, sizes);
  }
  return sizes.bytes;
}
