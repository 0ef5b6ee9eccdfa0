import type { Db } from 'mongodb';
import type { StoredAttempt } from './attempt-documents';
import type { AttemptLogRepository } from './attempt-log';

const legacyCollection = 'delivery_attempts';
const batchSize = 2_000;

/** Whether the single collection the log used before buckets still exists. */
export async function hasLegacyLog(db: Db): Promise<boolean> {
  return (await db.listCollections({ name: legacyCollection }, { nameOnly: true }).toArray()).length > 0;
}

/**
 * Moves the attempts of the single collection the log used before buckets (`delivery_attempts`) into
 * their buckets, keeping their ids, then drops it; attempts past the retention go with it. Safe to run
 * again after an interruption: an attempt already moved is passed over by its id. Returns how many
 * attempts within the retention it found, moved now or before.
 */
export async function importLegacyLog(
  db: Db,
  repository: AttemptLogRepository,
  onProgress: (found: number) => void = () => undefined,
): Promise<number> {
  const horizon = repository.horizon();
  let found = 0;
  let batch: StoredAttempt[] = [];
  const flush = async () => {
    await repository.insertStored(batch, { skipDuplicates: true });
    found += batch.length;
    batch = [];
    onProgress(found);
  };
  for await (const document of db.collection<StoredAttempt>(legacyCollection).find({})) {
    if (document.startedAt.getTime() < horizon) continue;
    batch.push(document);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await db.collection(legacyCollection).drop();
  return found;
}
