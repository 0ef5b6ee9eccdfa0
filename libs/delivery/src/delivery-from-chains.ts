import type { Db } from 'mongodb';
import type { LogItem } from './attempt-documents';
import { chunksHolding, deliveryInGeneration } from './log-page-directory';
import { generationOf, readChunk, removedThrough, unpackRows, wasRemoved } from './log-pages';
import { newestFirst, type RecentRows } from './recent-attempts';

/** Older generations looked up at once: enough to keep both cores of a small store busy. */
const generationsAtOnce = 4;

/**
 * One delivery's rows in a generation a newer one follows, by its directory, or read whole while it has
 * none; undefined when a chunk the directory names is missing and the retention did not remove it.
 */
async function inIndexedGeneration(
  db: Db,
  webhookId: string,
  generation: number,
  deliveryId: string,
): Promise<LogItem[] | undefined> {
  const numbers = await chunksHolding(db, webhookId, generation, deliveryId);
  if (!numbers) return deliveryInGeneration(db, webhookId, generation, deliveryId);
  const rows: LogItem[] = [];
  for (const no of numbers) {
    const chunk = await readChunk(db, webhookId, 'all', no);
    if (chunk) rows.push(...chunk);
    else if (!(await wasRemoved(db, webhookId, 'all', no))) return undefined;
  }
  return rows;
}

/**
 * Every attempt of one delivery that a webhook's newest rows and chain of every attempt hold, newest
 * first: the newest rows, the chunks the latest merge cut, the generation still written (by its chunks'
 * delivery hashes), then the older generations, newest first, until the delivery's first attempt is found
 * (attempts are logged in order, so none is older). An older generation is a lookup or two in its
 * directory (log-page-directory.ts). So a delivery costs about the same in a log of any size, and one not
 * in the log a lookup per generation of its webhook's chain.
 *
 * Undefined when the chains cannot answer: a chain begun after attempts it does not hold (written before
 * there were chains), or a chunk missing that the retention did not remove; the log's buckets answer then.
 */
export async function deliveryFromChains(
  db: Db,
  webhookId: string,
  deliveryId: string,
  recent: RecentRows,
  horizon: number,
): Promise<LogItem[] | undefined> {
  const found = new Map<string, LogItem>();
  let first = false;
  const add = (rows: readonly LogItem[]) => {
    for (const row of rows) {
      if (row.deliveryId !== deliveryId) continue;
      found.set(row.id, row);
      if (row.attempt === 1) first = true;
    }
  };
  add(recent.rows);
  const chain = recent.chains.all;
  if (!first) for (const chunk of recent.cut) if (chunk.kind === 'all') add(unpackRows(chunk.rows));
  if (!first && chain.pages > 0) {
    const newest = generationOf(chain.pages - 1);
    add(await deliveryInGeneration(db, webhookId, newest, deliveryId));
    const oldest = generationOf(await removedThrough(db, webhookId, 'all'));
    // Older generations a few at a time, newest first: each is a lookup the store can serve alongside the others.
    for (let next = newest - 1; next >= oldest && !first; next -= generationsAtOnce) {
      const batch = Array.from(
        { length: Math.min(generationsAtOnce, next - oldest + 1) },
        (_, at) => next - at,
      );
      const answers = await Promise.all(
        batch.map((generation) => inIndexedGeneration(db, webhookId, generation, deliveryId)),
      );
      for (const rows of answers) {
        if (!rows) return undefined;
        add(rows);
      }
    }
  }
  if (!first && !chain.complete) return undefined;
  return [...found.values()].filter((row) => row.startedAt.getTime() >= horizon).sort(newestFirst);
}
