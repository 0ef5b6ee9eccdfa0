import type { Db } from 'mongodb';
import type { LogItem } from './attempt-documents';
import { chunksHolding, deliveryInGeneration } from './log-page-directory';
import { generationOf, readChunk, readStaged, removedThrough, wasRemoved } from './log-pages';
import { newestFirst, type RecentRows } from './recent-attempts';

/**
 * Every attempt of one delivery that a webhook's newest rows and chain of every attempt hold, newest
 * first: the newest rows, the chunks the latest merge staged, then generation after generation, newest
 * first, until the delivery's first attempt is found (attempts are logged in order, so none is older).
 * A generation with a directory (log-page-directory.ts) is a lookup or two; the one still written is read
 * whole. So a delivery costs the same in a log of any size, and one not in the log a lookup per generation.
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
  if (!first && recent.staged) {
    // Read before the generation, so chunks stored since are found there.
    for (const chunk of (await readStaged(db, webhookId, recent.staged)) ?? [])
      if (chunk.kind === 'all') add(chunk.rows);
  }
  if (!first && chain.pages > 0) {
    const newest = generationOf(chain.pages - 1);
    const oldest = generationOf(await removedThrough(db, webhookId, 'all'));
    for (let generation = newest; generation >= oldest && !first; generation--) {
      const numbers =
        generation < newest ? await chunksHolding(db, webhookId, generation, deliveryId) : undefined;
      if (!numbers) {
        add(await deliveryInGeneration(db, webhookId, generation, deliveryId));
        continue;
      }
      for (const no of numbers) {
        const rows = await readChunk(db, webhookId, 'all', no);
        if (rows) add(rows);
        else if (!(await wasRemoved(db, webhookId, 'all', no))) return undefined;
      }
    }
  }
  if (!first && !chain.complete) return undefined;
  return [...found.values()].filter((row) => row.startedAt.getTime() >= horizon).sort(newestFirst);
}
