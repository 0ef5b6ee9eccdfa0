import { randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';
import type { AttemptLog, StoredAttempt } from './attempt-documents';

/**
 * A webhook's successes logged in one write, as one document: their fields as one JSON text, beside the
 * few fields reads filter on. FerretDB converts every field of every document it stores, so an attempt
 * stored on its own costs it far more than one in a pack (docs/performance.md). Failures stay documents
 * of their own: they hold the request and answer an operator opens, and a replay searches them.
 */
export interface AttemptPack {
  _id: ObjectId;
  webhookId: string;
  outcome: 'succeeded';
  /** The newest attempt's start: a page sorts documents by it. */
  startedAt: Date;
  /** The oldest attempt's start: a page after a cursor reads the packs that began before it. */
  firstStartedAt: Date;
  /** Each attempt's delivery, in the order of `attempts`. */
  deliveryIds: string[];
  /** The attempts, as JSON, each without its id, its webhook and its outcome. */
  attempts: string;
}

/** What a bucket of the log holds: attempts on their own (failures, and every attempt logged before packs) and packs. */
export type LogDocument = StoredAttempt | AttemptPack;

/** A pack holds at most as many attempts as its ids have values for their last byte, 0 being the pack's own. */
const maxPerPack = 255;
const dateFields = ['dueAt', 'startedAt', 'nextAttemptAt'] as const;

/** Successes that keep nothing an operator opens are packed. */
export function isPackable(log: AttemptLog): boolean {
  return log.outcome === 'succeeded' && log.event === undefined && log.exchange === undefined;
}

export function isPack(document: LogDocument): document is AttemptPack {
  return typeof (document as Partial<AttemptPack>).attempts === 'string';
}

let processPart = randomBytes(5);
let sequence = randomBytes(2).readUInt16BE(0);

/**
 * A new id for a document of the log, as an ObjectId is made (the time in seconds, five random bytes of
 * this process, a sequence), with its last byte 0: an attempt of a pack takes the pack's id with its
 * place, from 1, in that byte, so the attempt's id alone says which document holds it.
 */
export function newDocumentId(): ObjectId {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(Date.now() / 1000), 0);
  processPart.copy(bytes, 4);
  bytes.writeUInt16BE(sequence, 9);
  sequence = (sequence + 1) & 0xffff;
  // The sequence came round within a second, perhaps: ids from here on differ in the process part.
  if (sequence === 0) processPart = randomBytes(5);
  return new ObjectId(bytes);
}

/** The id of the pack that would hold an attempt of this id, or undefined when the id names a document of its own. */
export function packIdOf(attemptId: ObjectId): ObjectId | undefined {
  const bytes = Buffer.from(attemptId.id);
  if (bytes[11] === 0) return undefined;
  bytes[11] = 0;
  return new ObjectId(bytes);
}

function attemptIdOf(packId: ObjectId, place: number): ObjectId {
  const bytes = Buffer.from(packId.id);
  bytes[11] = place;
  return new ObjectId(bytes);
}

/**
 * Packs one webhook's stored successes of one bucket, at most 255 to a pack, and gives each attempt its id
 * within its pack (the stored attempts passed in take those ids).
 */
export function packAttempts(webhookId: string, attempts: StoredAttempt[]): AttemptPack[] {
  const packs: AttemptPack[] = [];
  for (let from = 0; from < attempts.length; from += maxPerPack) {
    const packed = attempts.slice(from, from + maxPerPack);
    const _id = newDocumentId();
    const entries = packed.map((attempt, index) => {
      attempt._id = attemptIdOf(_id, index + 1);
      const { _id: __, webhookId: ___, outcome: ____, ...entry } = attempt;
      const encoded: Record<string, unknown> = entry;
      for (const field of dateFields) if (attempt[field]) encoded[field] = attempt[field].getTime();
      return encoded;
    });
    const starts = packed.map((attempt) => attempt.startedAt.getTime());
    packs.push({
      _id,
      webhookId,
      outcome: 'succeeded',
      startedAt: new Date(Math.max(...starts)),
      firstStartedAt: new Date(Math.min(...starts)),
      deliveryIds: packed.map((attempt) => attempt.deliveryId as string),
      attempts: JSON.stringify(entries),
    });
  }
  return packs;
}

/** The attempts a document of the log holds, each with its id. */
export function attemptsIn(document: LogDocument): StoredAttempt[] {
  if (!isPack(document)) return [document];
  const entries = JSON.parse(document.attempts) as Array<Record<string, unknown>>;
  return entries.map((entry, index) => {
    for (const field of dateFields) {
      if (typeof entry[field] === 'number') entry[field] = new Date(entry[field]);
    }
    return {
      ...entry,
      _id: attemptIdOf(document._id, index + 1),
      webhookId: document.webhookId,
      outcome: 'succeeded',
    } as StoredAttempt;
  });
}
