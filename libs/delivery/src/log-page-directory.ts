import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from 'mongodb';
import type { LogItem } from './attempt-documents';
import {
  chunksPerGeneration,
  collectionName,
  deliveryHash,
  idsInclude,
  insertOnce,
  pageCollections,
  parseRows,
  readChunk,
  type StoredChunk,
} from './log-pages';

/**
 * Where each delivery's attempts are in a webhook's chain of every attempt (log-pages.ts), so that the
 * Logs filtered by a delivery, and a resend without an attempt id, read a few chunks instead of the log.
 *
 * A generation of the chain is only ever appended to until the next one begins. Once it has, the
 * retention's pass reads it whole, once, and stores its directory beside its chunks: the chunks holding
 * each delivery, in slots chosen by a hash of the delivery id, each found by its `_id` like a chunk. In
 * the generation still written (at most 2,000 chunks) a lookup reads each chunk's delivery hashes instead.
 */
const directorySlots = 64;
const completeId = 'directory.complete';
const slotId = (slot: number) => `directory.${slot}`;
const isChunkId = (id: string) => /^\d{12}$/.test(id);

interface StoredSlot {
  _id: string;
  /**
   * Deflated JSON: the delivery hash of each delivery of the slot, with the chunks holding it, counted from
   * the generation's first. Hashes rather than ids keep it a third of the size; two deliveries sharing a
   * hash cost a chunk read, as the rows read are kept only if they are the delivery's.
   */
  entries: string;
}

const slotOf = (hash: string) => Number.parseInt(hash, 16) % directorySlots;

const inflate = (packed: string) => inflateRawSync(Buffer.from(packed, 'base64')).toString();

/** Each chunk of a generation as JSON text, in the order the store returns them, in one read. */
async function* chunkTexts(db: Db, name: string): AsyncGenerator<{ no: number; text: string }> {
  for await (const document of db.collection<{ _id: string; rows?: string }>(name).find({})) {
    if (isChunkId(document._id) && document.rows)
      yield { no: Number(document._id), text: inflate(document.rows) };
  }
}

/**
 * One delivery's rows in a generation read whole: the one still written, or one not indexed yet. It reads
 * each chunk's delivery hashes alone, then the chunks that name the delivery's; chunks stored before
 * there were hashes are read whole.
 */
export async function deliveryInGeneration(
  db: Db,
  webhookId: string,
  generation: number,
  deliveryId: string,
): Promise<LogItem[]> {
  const name = collectionName(webhookId, 'all', generation);
  const hash = deliveryHash(deliveryId);
  const holding: number[] = [];
  let unhashed = false;
  for await (const { _id, ids } of db.collection<StoredChunk>(name).find({}, { projection: { ids: 1 } })) {
    if (!isChunkId(_id)) continue;
    if (ids === undefined) unhashed = true;
    else if (idsInclude(ids, hash)) holding.push(Number(_id));
  }
  const found: LogItem[] = [];
  const keep = (rows: LogItem[]) => found.push(...rows.filter((row) => row.deliveryId === deliveryId));
  if (unhashed) {
    const needle = JSON.stringify(deliveryId);
    // Most chunks do not hold it: only those that do are parsed.
    for await (const { text } of chunkTexts(db, name)) if (text.includes(needle)) keep(parseRows(text));
    return found;
  }
  for (const no of holding) keep((await readChunk(db, webhookId, 'all', no)) ?? []);
  return found;
}

/**
 * The numbers of the chunks of a generation that may hold attempts of the delivery (those holding one with
 * its hash), by its directory; undefined while it has none.
 */
export async function chunksHolding(
  db: Db,
  webhookId: string,
  generation: number,
  deliveryId: string,
): Promise<number[] | undefined> {
  const hash = deliveryHash(deliveryId);
  const slot = await db
    .collection<StoredSlot>(collectionName(webhookId, 'all', generation))
    .findOne({ _id: slotId(slotOf(hash)) });
  if (!slot) return undefined;
  const entries = JSON.parse(inflate(slot.entries)) as Record<string, number[]>;
  const offsets = Object.hasOwn(entries, hash) ? (entries[hash] as number[]) : [];
  return offsets.map((offset) => generation * chunksPerGeneration + offset);
}

/**
 * Reads a closed generation whole and stores its directory: every slot, then the mark that it is
 * complete. Two processes may build one at once; both store the same slots, and the store keeps one.
 */
async function buildDirectory(db: Db, name: string, generation: number) {
  const slots = Array.from({ length: directorySlots }, () => new Map<string, number[]>());
  for await (const { _id, ids, rows } of db.collection<StoredChunk>(name).find({})) {
    if (!isChunkId(_id) || !rows) continue;
    const offset = Number(_id) - generation * chunksPerGeneration;
    // A chunk stored before there were hashes is hashed here, from its rows.
    const hashes =
      ids?.match(/.{8}/g) ??
      (JSON.parse(inflate(rows)) as Array<{ deliveryId: string }>).map(({ deliveryId }) =>
        deliveryHash(deliveryId),
      );
    for (const hash of hashes) {
      const slot = slots[slotOf(hash)] as Map<string, number[]>;
      const offsets = slot.get(hash) ?? [];
      if (!offsets.includes(offset)) offsets.push(offset);
      slot.set(hash, offsets);
    }
  }
  await insertOnce(
    db,
    name,
    slots.map((entries, slot) => ({
      _id: slotId(slot),
      entries: deflateRawSync(JSON.stringify(Object.fromEntries(entries))).toString('base64'),
    })),
  );
  await insertOnce(db, name, [{ _id: completeId }]);
}

/**
 * Stores the directory of every generation of a chain of every attempt that a newer one follows and that
 * has none, newest first, until `budgetMs` is spent; the next call goes on, so that thousands of closed
 * generations (after an upgrade) hold up no other work for long. A generation a newer one follows is
 * complete: a merge stores its chunks before it cuts past them. `indexed` remembers the generations known
 * to have one, so each is asked about once a process. Returns how many directories were built.
 */
export async function indexClosedGenerations(
  db: Db,
  indexed: Set<string>,
  budgetMs: number,
): Promise<number> {
  const started = performance.now();
  const generations = (await pageCollections(db))
    .filter((generation) => generation.kind === 'all')
    .sort((a, b) => b.generation - a.generation);
  const newest = new Map<string, number>();
  for (const { webhookId, generation } of generations)
    newest.set(webhookId, Math.max(newest.get(webhookId) ?? 0, generation));
  let built = 0;
  for (const { name, webhookId, generation } of generations) {
    if (generation >= (newest.get(webhookId) ?? 0) || indexed.has(name)) continue;
    if (performance.now() - started > budgetMs) break;
    if (!(await db.collection<{ _id: string }>(name).findOne({ _id: completeId }))) {
      await buildDirectory(db, name, generation);
      built += 1;
    }
    indexed.add(name);
  }
  const present = new Set(generations.map((generation) => generation.name));
  for (const name of indexed) if (!present.has(name)) indexed.delete(name);
  return built;
}
