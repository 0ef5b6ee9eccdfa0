import type { ObjectId } from 'mongodb';
import { type AttemptLog, type StoredAttempt, toStored } from './attempt-documents';
import { bucketFor } from './log-buckets';
import { attemptIdOf, newDocumentId } from './log-document-ids';

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

/**
 * What one write of the log stores: each attempt that is not packable as a document of its own, and each
 * webhook's packable attempts of one bucket in packs; and every attempt as stored, with its id, in the
 * order of `logs`.
 */
export function documentsOfWrite(
  logs: readonly AttemptLog[],
  spanMs: number,
): { documents: LogDocument[]; attempts: StoredAttempt[] } {
  const attempts = logs.map(toStored);
  const documents: LogDocument[] = [];
  const packed = new Map<string, { webhookId: string; attempts: StoredAttempt[] }>();
  logs.forEach((log, index) => {
    const attempt = attempts[index] as StoredAttempt;
    if (!isPackable(log)) {
      documents.push(attempt);
      return;
    }
    const key = `${bucketFor(log.startedAt.getTime(), spanMs).name} ${log.webhookId}`;
    const pack = packed.get(key) ?? { webhookId: log.webhookId, attempts: [] };
    pack.attempts.push(attempt);
    packed.set(key, pack);
  });
  for (const pack of packed.values()) documents.push(...packAttempts(pack.webhookId, pack.attempts));
  return { documents, attempts };
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
