import { type Collection, type Db, ObjectId } from 'mongodb';
import type { FailureKind } from './http-client';

export interface AttemptLog {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  goodsOwnerId: number;
  attempt: number;
  /** When the attempt was due; null for a first attempt, which is due at once. */
  dueAt: Date | null;
  startedAt: Date;
  durationMs: number;
  outcome: 'succeeded' | 'failed';
  statusCode: number | null;
  errorKind: FailureKind | 'webhook-deleted' | 'webhook-disabled' | null;
  error: string | null;
  test: boolean;
  /** No further attempt will follow. */
  final: boolean;
  /** When the next attempt is due, if one is scheduled. */
  nextAttemptAt: Date | null;
  url: string | null;
}

export interface LogPage {
  items: Array<AttemptLog & { id: string }>;
  nextCursor: string | null;
}

type AttemptDocument = AttemptLog & { _id: ObjectId };

/** Cursor = the last item's (startedAt, _id), so pages stay stable while new attempts arrive. */
function encodeCursor(document: AttemptDocument): string {
  return Buffer.from(`${document.startedAt.getTime()}:${document._id.toHexString()}`).toString('base64url');
}

function decodeCursor(cursor: string): { startedAt: Date; id: ObjectId } | undefined {
  const [time, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!time || !id || !/^\d+$/.test(time) || !ObjectId.isValid(id)) return undefined;
  return { startedAt: new Date(Number(time)), id: new ObjectId(id) };
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** One document per attempt, written in batches; read newest first per webhook. */
export class AttemptLogRepository {
  readonly collection: Collection<AttemptDocument>;

  constructor(db: Db) {
    this.collection = db.collection<AttemptDocument>('delivery_attempts');
  }

  async ensureIndexes() {
    await this.collection.createIndex({ webhookId: 1, startedAt: -1, _id: -1 });
    await this.collection.createIndex({ deliveryId: 1, attempt: 1 });
  }

  async insertMany(logs: AttemptLog[]) {
    if (logs.length === 0) return;
    await this.collection.insertMany(
      logs.map((log) => ({ ...log, _id: new ObjectId() })),
      { ordered: false },
    );
  }

  async page(
    webhookId: string,
    options: { outcome?: 'succeeded' | 'failed'; limit: number; cursor?: string },
  ): Promise<LogPage> {
    const filter: Record<string, unknown> = { webhookId };
    if (options.outcome) filter.outcome = options.outcome;
    if (options.cursor) {
      const after = decodeCursor(options.cursor);
      if (!after) throw new InvalidCursorError('cursor is not one this API returned');
      filter.$or = [
        { startedAt: { $lt: after.startedAt } },
        { startedAt: after.startedAt, _id: { $lt: after.id } },
      ];
    }
    const documents = await this.collection
      .find(filter)
      .sort({ startedAt: -1, _id: -1 })
      .limit(options.limit + 1)
      .toArray();
    const page = documents.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ _id, ...log }) => ({ id: _id.toHexString(), ...log })),
      nextCursor: documents.length > options.limit && last ? encodeCursor(last) : null,
    };
  }
}
