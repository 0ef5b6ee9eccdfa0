import type { Db } from 'mongodb';
import { encodeCursor, type LogCursor, type LogItem, type LogPage } from './attempt-documents';
import { type ChainKind, readChunk, unpackRows, wasRemoved } from './log-pages';
import { newestFirst, type RecentRows } from './recent-attempts';

/** Chunks cut after a cursor's read that may hold rows from below it: the rows kept then fill at most two. */
const chunksAfterCursor = 3;
/** A page of a rare outcome stops after this many chunks and offers the rest as its next page. */
const chunksPerRead = 100;

export interface PageRequest {
  outcome?: 'succeeded' | 'failed';
  limit: number;
  /** Attempts that started before this are past the retention. */
  horizon: number;
}

/** Where a listed row was read: in a chunk (its number and index) or among the newest rows above chunk `floor`. */
type Position = { chunk: number; index: number } | { floor: number };

function formatPosition(kind: ChainKind, position: Position) {
  return 'chunk' in position ? `${kind}.${position.chunk}.${position.index}` : `${kind}.w${position.floor}`;
}

function parsePosition(kind: ChainKind, text: string | undefined): Position | undefined {
  const match = text?.match(/^(all|failed)\.(?:(\d+)\.(\d+)|w(\d+))$/);
  if (!match || match[1] !== kind) return undefined;
  return match[4] !== undefined
    ? { floor: Number(match[4]) }
    : { chunk: Number(match[2]), index: Number(match[3]) };
}

/**
 * A Logs page from a webhook's newest rows and the chains of pages cut from them (log-pages.ts): the newest
 * rows, then chunk after chunk, newest first, each read by its number. A cursor says where its row was read,
 * so the next page starts there, however much the log holds. Rows cut since a cursor was made are in the
 * chunks cut after it: the page reads those few and keeps what is older than the cursor.
 *
 * Undefined when the chains cannot answer: a cursor they did not make, a chunk missing that the retention
 * did not remove, or a chain begun after attempts it does not hold (written before there were chains);
 * the log's buckets answer then.
 */
export async function pageFromChains(
  db: Db,
  webhookId: string,
  recent: RecentRows,
  request: PageRequest,
  after: LogCursor | undefined,
): Promise<LogPage | undefined> {
  const kind: ChainKind = request.outcome === 'failed' ? 'failed' : 'all';
  const chain = recent.chains[kind];
  const newest = kind === 'failed' ? recent.failures : recent.rows;
  const wanted = (row: LogItem) =>
    row.startedAt.getTime() >= request.horizon &&
    (request.outcome !== 'succeeded' || row.outcome === 'succeeded');
  /** A chunk's rows; 'removed' when the retention removed it; 'missing' when it is lost, and the log answers. */
  const load = async (no: number): Promise<LogItem[] | 'removed' | 'missing'> => {
    const cut = recent.cut.find((chunk) => chunk.kind === kind && chunk.no === no);
    if (cut) return unpackRows(cut.rows);
    const stored = await readChunk(db, webhookId, kind, no);
    if (stored) return stored;
    return (await wasRemoved(db, webhookId, kind, no)) ? 'removed' : 'missing';
  };

  const listed: Array<{ row: LogItem; position: Position }> = [];
  let next: number;
  let position = parsePosition(kind, after?.position);
  if (after && !position && newest.some((row) => row.id === after.id.toHexString()))
    position = { floor: chain.pages };
  if (after && !position) return undefined;

  if (position && 'chunk' in position) {
    const rows = await load(position.chunk);
    if (rows === 'missing') return undefined;
    const { chunk, index: from } = position;
    if (rows !== 'removed')
      rows.forEach((row, index) => {
        if (index > from && wanted(row)) listed.push({ row, position: { chunk, index } });
      });
    next = rows === 'removed' ? -1 : chunk - 1;
  } else {
    const floor = position?.floor ?? chain.pages;
    if (floor > chain.pages) return undefined;
    const zone = chain.pages - floor <= chunksAfterCursor ? [...newest] : [];
    for (let no = floor; no < Math.min(floor + chunksAfterCursor, chain.pages); no++) {
      const rows = await load(no);
      if (rows === 'missing') return undefined;
      if (rows !== 'removed') zone.push(...rows);
    }
    const cursorRow = after && ({ startedAt: after.startedAt, id: after.id.toHexString() } as LogItem);
    const seen = new Set<string>();
    for (const row of zone.sort(newestFirst)) {
      if (seen.has(row.id) || (cursorRow && newestFirst(cursorRow, row) >= 0)) continue;
      seen.add(row.id);
      if (wanted(row)) listed.push({ row, position: { floor } });
    }
    next = floor - 1;
  }

  let reads = 0;
  let ended = false;
  // The last row walked, wanted or not: a page that stops after `chunksPerRead` chunks continues from it.
  let walked: { row: LogItem; position: Position } | undefined;
  while (listed.length <= request.limit) {
    if (next < 0) {
      ended = true;
      break;
    }
    if (reads === chunksPerRead) break;
    const rows = await load(next);
    if (rows === 'missing') return undefined;
    // Removed by the retention, as is every older chunk.
    if (rows === 'removed') {
      ended = true;
      break;
    }
    reads += 1;
    const chunk = next;
    rows.forEach((row, index) => {
      walked = { row, position: { chunk, index } };
      if (wanted(row)) listed.push(walked);
    });
    // A chunk's oldest row past the retention: every older chunk is too.
    const oldest = rows[rows.length - 1];
    if (!oldest || oldest.startedAt.getTime() < request.horizon) {
      ended = true;
      break;
    }
    next -= 1;
  }
  if (ended && !chain.complete && listed.length <= request.limit) return undefined;

  const page = listed.slice(0, request.limit);
  const last = listed.length > request.limit ? page[page.length - 1] : ended ? undefined : walked;
  return {
    items: page.map(({ row }) => row),
    nextCursor: last ? encodeCursor(last.row, formatPosition(kind, last.position)) : null,
  };
}
