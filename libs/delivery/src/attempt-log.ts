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
  errorKind: FailureKind | 'webhook-deleted' | 'webhook-disabled' | 'cannot-decrypt' | null;
  error: string | null;
  test: boolean;
  /** No further attempt will follow. */
  final: boolean;
  /** When the next attempt is due, if one is scheduled. */
  nextAttemptAt: Date | null;
  url: string | null;
  /** The event, kept on a final failure of a real delivery so an operator can resend it. */
  event?: ResendableEvent;
}

export interface ResendableEvent {
  occurredAt: Date;
  warehouseId: string | null;
  entityId: string;
  payload: string;
}

export interface WebhookActivity {
  lastOutcome: 'succeeded' | 'failed' | null;
  lastAttemptAt: Date | null;
  /** Over the most recent attempts (at most `recentWindow`). */
  recentAttempts: number;
  recentFailures: number;
}

export interface LogPage {
  items: Array<AttemptLog & { id: string }>;
  nextCursor: string | null;
}

type AttemptDocument = AttemptLog & { _id: ObjectId };

/**
 * What is stored: an attempt without its empty fields. Most attempts succeed the first time, and leaving
 * out their six nulls and `test: false` saves the store a conversion per field; on FerretDB that is a
 * quarter of an attempt's cost. Reads put the empty fields back.
 */
type StoredAttempt = Partial<AttemptDocument> & Pick<AttemptDocument, '_id' | 'startedAt'>;

const emptyFields = {
  dueAt: null,
  statusCode: null,
  errorKind: null,
  error: null,
  nextAttemptAt: null,
  url: null,
  test: false,
} satisfies Partial<AttemptLog>;

function toStored(log: AttemptLog): StoredAttempt {
  const stored: Record<string, unknown> = { _id: new ObjectId() };
  for (const field in log) {
    const value = log[field as keyof AttemptLog];
    if (value !== null && value !== undefined && !(field === 'test' && value === false))
      stored[field] = value;
  }
  return stored as StoredAttempt;
}

function fromStored({ _id, ...stored }: StoredAttempt): AttemptLog {
  return { ...emptyFields, ...stored } as AttemptLog;
}

/** Cursor = the last item's (startedAt, _id), so pages stay stable while new attempts arrive. */
function encodeCursor(document: StoredAttempt): string {
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
  readonly collection: Collection<StoredAttempt>;

  constructor(db: Db) {
    this.collection = db.collection<StoredAttempt>('delivery_attempts');
  }

  /**
   * The indexes the log's reads need, where the store reads through them. FerretDB 1.x on SQLite does
   * not: it filters on nothing but `_id` in SQL and scans for the rest, as its explain says
   * (`filterPushdown: false`). There these indexes would cost 45% of every attempt's write and speed up
   * no read, so they are left out. MongoDB's explain has no such field, and it gets them.
   * Returns whether they were made.
   */
  async ensureIndexes(): Promise<boolean> {
    const plan = await this.collection.find({ deliveryId: '' }).explain();
    if (plan.filterPushdown === false) return false;
    await this.collection.createIndex({ webhookId: 1, startedAt: -1, _id: -1 });
    await this.collection.createIndex({ deliveryId: 1, attempt: 1 });
    return true;
  }

  async insertMany(logs: AttemptLog[]) {
    if (logs.length === 0) return;
    await this.collection.insertMany(logs.map(toStored), { ordered: false });
  }

  /** Every attempt of one delivery, oldest first. */
  async attemptsOf(webhookId: string, deliveryId: string): Promise<AttemptLog[]> {
    const documents = await this.collection
      .find({ webhookId, deliveryId })
      .sort({ startedAt: 1, _id: 1 })
      .toArray();
    return documents.map(fromStored);
  }

  /** The last outcome and recent failure rate per webhook, for the list view. */
  async activity(webhookIds: readonly string[], recentWindow = 50): Promise<Map<string, WebhookActivity>> {
    const entries = await Promise.all(
      webhookIds.map(async (webhookId) => {
        const recent = await this.collection
          .find({ webhookId }, { projection: { outcome: 1, startedAt: 1 } })
          .sort({ startedAt: -1, _id: -1 })
          .limit(recentWindow)
          .toArray();
        const last = recent[0];
        const activity: WebhookActivity = {
          lastOutcome: last?.outcome ?? null,
          lastAttemptAt: last?.startedAt ?? null,
          recentAttempts: recent.length,
          recentFailures: recent.filter((attempt) => attempt.outcome === 'failed').length,
        };
        return [webhookId, activity] as const;
      }),
    );
    return new Map(entries);
  }

  async page(
    webhookId: string,
    options: { outcome?: 'succeeded' | 'failed'; deliveryId?: string; limit: number; cursor?: string },
  ): Promise<LogPage> {
    const filter: Record<string, unknown> = { webhookId };
    if (options.outcome) filter.outcome = options.outcome;
    if (options.deliveryId) filter.deliveryId = options.deliveryId;
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
      items: page.map((document) => ({ id: document._id.toHexString(), ...fromStored(document) })),
      nextCursor: documents.length > options.limit && last ? encodeCursor(last) : null,
    };
  }
}
