import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from 'mongodb';
import type { LogItem } from './attempt-documents';
import { type MeasuredSize, measuredBytes } from './collection-bytes';
import { type RowText, rowsJson, rowText } from './row-texts';

/**
 * A webhook's attempts past its newest rows, as the Logs list them: a chain of numbered chunks, each the
 * 64 rows the newest-attempt merge (recent-attempts.ts) cut from the old end of its rows, newest first.
 * Chunk n+1 is newer than chunk n, so a page deep in the log is a lookup by number, whatever the log holds.
 * There is one chain of every attempt and one of failures, so a page of failures never walks successes.
 *
 * A chunk is found by its `_id`, the one filter FerretDB on SQLite hands to SQL, and only when it is a
 * string. That still scans the collection's rows in SQL, so chunks live in generations of 2,000 per
 * collection, and a lookup costs the same in a log of any size (docs/delivery-logs.md has the figures).
 * Rows are stored deflated, which makes the rows the scan passes over several times smaller.
 */
export const chunkRows = 64;
export const chunksPerGeneration = 2_000;
const collectionPrefix = 'webhook_pages.';

const chainKinds = ['all', 'failed'] as const;
export type ChainKind = (typeof chainKinds)[number];

export interface Chunk {
  kind: ChainKind;
  no: number;
  /** Newest first. */
  rows: RowText[];
  /** The newest start of any row in this chunk or an older one: what bounds a generation for retention. */
  newest: number;
}

export interface StoredChunk {
  _id: string;
  rows: string;
  newest: Date;
  /**
   * The delivery hash of each row, in order: a lookup of one delivery reads these alone from a generation
   * and only the chunks that may hold it. Absent on chunks stored before there were lookups.
   */
  ids?: string;
}

const dateFields = ['dueAt', 'startedAt', 'nextAttemptAt'] as const;

/** Rows parsed from JSON, with their dates back as dates. */
function reviveRows(parsed: unknown[]): LogItem[] {
  return (parsed as Array<Record<string, unknown>>).map((row) => {
    for (const field of dateFields) if (typeof row[field] === 'string') row[field] = new Date(row[field]);
    return row as unknown as LogItem;
  });
}

export function parseRows(text: string): LogItem[] {
  return reviveRows(JSON.parse(text) as unknown[]);
}

/** Rows' JSON as it is stored: deflated, in base64. */
export function packJson(json: string): string {
  return deflateRawSync(json).toString('base64');
}

/** Eight hex digits (FNV-1a) for a delivery id: delivery ids are hashes already, but a caller may send any string. */
export function deliveryHash(deliveryId: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < deliveryId.length; index++) {
    hash ^= deliveryId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Whether a chunk's `ids` name the hash: at a row's place, not across two. */
export function idsInclude(ids: string, hash: string): boolean {
  for (let at = ids.indexOf(hash); at !== -1; at = ids.indexOf(hash, at + 1)) if (at % 8 === 0) return true;
  return false;
}

export function unpackRows(packed: string): LogItem[] {
  return parseRows(inflateRawSync(Buffer.from(packed, 'base64')).toString());
}

export const generationOf = (no: number) => Math.floor(no / chunksPerGeneration);
const chunkId = (no: number) => String(no).padStart(12, '0');

const chainKey = (webhookId: string, kind: string) => `${webhookId}.${kind}`;

export function collectionName(webhookId: string, kind: ChainKind, generation: number) {
  return `${collectionPrefix}${webhookId}.${kind}.${generation}`;
}

/**
 * A chunk as it is stored: its rows deflated once, and the delivery hash of each. A merge's version carries
 * the chunks it cut in this form until they are stored, so storing them is a copy, whoever does it.
 */
export interface PackedChunk {
  kind: ChainKind;
  no: number;
  rows: string;
  newest: number;
  ids: string;
}

export function packChunk(chunk: Chunk): PackedChunk {
  return {
    kind: chunk.kind,
    no: chunk.no,
    rows: packJson(rowsJson(chunk.rows)),
    newest: chunk.newest,
    ids: chunk.rows.map((row) => deliveryHash(row.deliveryId)).join(''),
  };
}

/** Stores chunks; one already stored under its number (another writer stored it first) is passed over. */
export async function insertChunks(db: Db, webhookId: string, chunks: readonly PackedChunk[]): Promise<void> {
  const byCollection = new Map<string, StoredChunk[]>();
  for (const chunk of chunks) {
    const name = collectionName(webhookId, chunk.kind, generationOf(chunk.no));
    const documents = byCollection.get(name) ?? [];
    documents.push({
      _id: chunkId(chunk.no),
      rows: chunk.rows,
      newest: new Date(chunk.newest),
      ids: chunk.ids,
    });
    byCollection.set(name, documents);
  }
  for (const [name, documents] of byCollection) await insertOnce(db, name, documents);
}

/** Inserts documents under fixed `_id`s; one already there (stored by another writer first) is passed over. */
export async function insertOnce(db: Db, name: string, documents: ReadonlyArray<{ _id: string }>) {
  await db
    .collection<{ _id: string }>(name)
    .insertMany([...documents], { ordered: false })
    .catch((error: { code?: number; writeErrors?: Array<{ code?: number }> }) => {
      if (!(error.writeErrors ?? [error]).every((failure) => failure.code === 11000)) throw error;
    });
}

/** A chunk's rows, newest first, or undefined if it is not stored (yet, or any more). */
export async function readChunk(
  db: Db,
  webhookId: string,
  kind: ChainKind,
  no: number,
): Promise<LogItem[] | undefined> {
  const found = await db
    .collection<StoredChunk>(collectionName(webhookId, kind, generationOf(no)))
    .findOne({ _id: chunkId(no) });
  return found ? unpackRows(found.rows) : undefined;
}

/**
 * Where a version written before versions carried their cut chunks staged them: one document beside the
 * first of them. The next writer to merge such a version stores them and removes the staging.
 */
export interface StagedChunks {
  id: string;
  kind: ChainKind;
  no: number;
}

function stagedCollection(db: Db, webhookId: string, staged: StagedChunks) {
  return db.collection<{ _id: string; chunks: string }>(
    collectionName(webhookId, staged.kind, generationOf(staged.no)),
  );
}

/** The staged chunks, packed as they are stored, or none once they were stored and the staging removed. */
export async function readStaged(db: Db, webhookId: string, staged: StagedChunks): Promise<PackedChunk[]> {
  const found = await stagedCollection(db, webhookId, staged).findOne({ _id: staged.id });
  if (!found) return [];
  const chunks = JSON.parse(inflateRawSync(Buffer.from(found.chunks, 'base64')).toString()) as Array<
    Omit<Chunk, 'rows'> & { rows: unknown[] }
  >;
  return chunks.map((chunk) => packChunk({ ...chunk, rows: reviveRows(chunk.rows).map(rowText) }));
}

export async function removeStaged(db: Db, webhookId: string, staged: StagedChunks): Promise<void> {
  await stagedCollection(db, webhookId, staged).deleteOne({ _id: staged.id });
}

interface Generation {
  name: string;
  webhookId: string;
  kind: string;
  generation: number;
}

function parseName(name: string): Generation | undefined {
  if (!name.startsWith(collectionPrefix)) return undefined;
  const parts = name.slice(collectionPrefix.length).split('.');
  const generation = Number(parts.pop());
  const kind = parts.pop();
  if (!kind || !Number.isInteger(generation) || parts.length === 0) return undefined;
  return { name, webhookId: parts.join('.'), kind, generation };
}

export async function pageCollections(db: Db): Promise<Generation[]> {
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  return collections.flatMap(({ name }) => parseName(name) ?? []);
}

/**
 * How far the retention removed each chain: every chunk numbered below `through` is gone. A reader that
 * finds a chunk missing asks it whether the chain ended there or a chunk is lost (then the log answers).
 */
interface RemovedThrough {
  _id: string;
  through: number;
}

function removedCollection(db: Db) {
  return db.collection<RemovedThrough>('webhook_pages_removed');
}

export async function removedThrough(db: Db, webhookId: string, kind: string): Promise<number> {
  return (await removedCollection(db).findOne({ _id: chainKey(webhookId, kind) }))?.through ?? 0;
}

/** Whether the retention removed this chunk. */
export async function wasRemoved(db: Db, webhookId: string, kind: ChainKind, no: number): Promise<boolean> {
  return no < (await removedThrough(db, webhookId, kind));
}

/** Recorded before the chunks go, so that no reader sees a chunk missing that the record does not cover. */
async function recordRemoved(db: Db, webhookId: string, kind: string, through: number) {
  const _id = chainKey(webhookId, kind);
  const recorded = await removedCollection(db).findOne({ _id });
  if (recorded && recorded.through >= through) return;
  await removedCollection(db).replaceOne({ _id }, { through }, { upsert: true });
}

/**
 * Keeps the chains within the retention, oldest generation first: drops each generation whose rows all
 * started before the horizon (the first chunk of the generation after it carries the newest start of
 * every older row), then deletes the expired chunks at the start of the oldest one left. Each chunk's
 * `newest` only grows along the chain, so those are the chunks before the first that is not expired.
 * Every chunk is found by its number: the order a store returns documents in is not relied on.
 * `known` remembers what was read, by generation: how long until it is worth reading it again.
 */
export async function removeExpiredPages(db: Db, horizon: number, known: Map<string, number>): Promise<void> {
  const chains = new Map<string, Generation[]>();
  for (const generation of await pageCollections(db)) {
    const key = chainKey(generation.webhookId, generation.kind);
    chains.set(key, [...(chains.get(key) ?? []), generation]);
  }
  for (const chain of chains.values()) {
    chain.sort((a, b) => a.generation - b.generation);
    for (const [index, generation] of chain.entries()) {
      const next = chain[index + 1];
      if (next) {
        let whole = known.get(generation.name);
        if (whole === undefined) {
          const first = await db
            .collection<StoredChunk>(next.name)
            .findOne({ _id: chunkId(next.generation * chunksPerGeneration) });
          whole = first?.newest.getTime();
          if (whole !== undefined) known.set(generation.name, whole);
        }
        if (whole !== undefined && whole < horizon) {
          await recordRemoved(
            db,
            generation.webhookId,
            generation.kind,
            next.generation * chunksPerGeneration,
          );
          await db.collection(generation.name).drop();
          known.delete(generation.name);
          known.delete(`${generation.name}#oldest`);
          continue;
        }
      }
      // The oldest chunk it still holds: the first one the retention did not remove.
      const oldestKey = `${generation.name}#oldest`;
      const collection = db.collection<StoredChunk>(generation.name);
      let oldest = known.get(oldestKey);
      if (oldest === undefined) {
        const first = Math.max(
          generation.generation * chunksPerGeneration,
          await removedThrough(db, generation.webhookId, generation.kind),
        );
        oldest = (await collection.findOne({ _id: chunkId(first) }))?.newest.getTime();
      }
      if (oldest !== undefined && oldest < horizon) {
        const expired = { newest: { $lt: new Date(horizon) } };
        const numbers = (await collection.find(expired, { projection: { _id: 1 } }).toArray()).map(
          ({ _id }) => Number(_id),
        );
        if (numbers.length > 0) {
          await recordRemoved(db, generation.webhookId, generation.kind, Math.max(...numbers) + 1);
          await collection.deleteMany(expired);
        }
        known.delete(oldestKey);
      } else if (oldest !== undefined) known.set(oldestKey, oldest);
      break;
    }
  }
}

/**
 * Bytes the pages take. A generation with a newer one after it is no longer written, so its size is
 * read once; the newest of each chain every ten minutes at most. The commands grow with the chains, not
 * with their length.
 */
export async function measurePages(
  db: Db,
  measured: Map<string, MeasuredSize>,
  now: number,
): Promise<number> {
  const generations = await pageCollections(db);
  const newest = new Map<string, number>();
  for (const { webhookId, kind, generation } of generations) {
    const key = chainKey(webhookId, kind);
    newest.set(key, Math.max(newest.get(key) ?? 0, generation));
  }
  let bytes = 0;
  const present = new Set<string>();
  for (const { name, webhookId, kind, generation } of generations) {
    present.add(name);
    const closed = generation < (newest.get(chainKey(webhookId, kind)) ?? 0);
    bytes += await measuredBytes(db, name, measured, now, closed);
  }
  for (const name of measured.keys()) if (!present.has(name)) measured.delete(name);
  return bytes;
}

/** Drops every chunk of these webhooks: their chains went with their newest rows. */
export async function dropPagesOf(db: Db, webhookIds: ReadonlySet<string>) {
  if (webhookIds.size === 0) return;
  for (const generation of await pageCollections(db)) {
    if (webhookIds.has(generation.webhookId)) await db.collection(generation.name).drop();
  }
  const chains = [...webhookIds].flatMap((webhookId) => chainKinds.map((kind) => chainKey(webhookId, kind)));
  await removedCollection(db).deleteMany({ _id: { $in: chains } });
}
