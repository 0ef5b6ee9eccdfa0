import { ObjectId } from 'mongodb';
import type { AttemptExchange } from './attempt-exchange';
import type { FailureKind } from './http-client';
import { newDocumentId } from './log-document-ids';

/**
 * An attempt as the log keeps it, as the Logs list it, and the cursor that pages through them: what
 * the repository (attempt-log.ts) and the merged newest attempts (recent-attempts.ts) both store and read.
 */
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
  /** The replay that sent it, when an operator replayed a window; absent for live traffic. */
  replayId?: string;
  /** On a failed attempt that was sent: the request and the answer, bounded (attempt-exchange.ts). */
  exchange?: AttemptExchange;
}

export interface ResendableEvent {
  occurredAt: Date;
  warehouseId: string | null;
  entityId: string;
  payload: string;
}

/** An attempt as the Logs view lists it. */
export type LogItem = Omit<AttemptLog, 'webhookId' | 'goodsOwnerId' | 'url' | 'event' | 'exchange'> & {
  id: string;
  /** A final failure of a real delivery whose event is kept: an operator may send it again. */
  resendable: boolean;
};

/** An attempt as its detail view shows it. */
export type AttemptDetail = LogItem & { url: string | null; exchange: AttemptExchange | null };

export interface LogPage {
  items: LogItem[];
  nextCursor: string | null;
}

type AttemptDocument = AttemptLog & { _id: ObjectId };

/**
 * What is stored: an attempt without its empty fields. Most attempts succeed the first time, and leaving
 * out their six nulls and `test: false` saves the store a conversion per field; on FerretDB that is a
 * quarter of an attempt's cost. Reads put the empty fields back.
 */
export type StoredAttempt = Partial<AttemptDocument> & Pick<AttemptDocument, '_id' | 'startedAt'>;

const emptyFields = {
  dueAt: null,
  statusCode: null,
  errorKind: null,
  error: null,
  nextAttemptAt: null,
  url: null,
  test: false,
} satisfies Partial<AttemptLog>;

export function toStored(log: AttemptLog): StoredAttempt {
  const stored: Record<string, unknown> = { _id: newDocumentId() };
  for (const field in log) {
    const value = log[field as keyof AttemptLog];
    if (value !== null && value !== undefined && !(field === 'test' && value === false))
      stored[field] = value;
  }
  return stored as StoredAttempt;
}

export function fromStored({ _id, ...stored }: StoredAttempt): AttemptLog {
  return { ...emptyFields, ...stored } as AttemptLog;
}

export function toItem(document: StoredAttempt): LogItem {
  const { webhookId, goodsOwnerId, url, event, exchange, ...listed } = fromStored(document);
  return {
    id: document._id.toHexString(),
    ...listed,
    resendable: listed.outcome === 'failed' && listed.final && !listed.test && event !== undefined,
  };
}

export interface LogCursor {
  startedAt: Date;
  id: ObjectId;
  /** Where in the webhook's chains of pages the item was read (log-page-reader.ts); absent for the log. */
  position?: string;
}

/**
 * Cursor = the last item's (startedAt, id), so pages stay stable while new attempts arrive, and, for an
 * item read from the chains of pages, where it was read, so the next page starts there.
 */
export function encodeCursor(item: LogItem, position?: string): string {
  const parts = [item.startedAt.getTime(), item.id, ...(position ? [position] : [])];
  return Buffer.from(parts.join(':')).toString('base64url');
}

export function decodeCursor(cursor: string): LogCursor | undefined {
  const [time, id, position, ...rest] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!time || !id || !/^\d+$/.test(time) || !ObjectId.isValid(id) || rest.length > 0) return undefined;
  return {
    startedAt: new Date(Number(time)),
    id: new ObjectId(id),
    ...(position ? { position } : {}),
  };
}

export function pageOf(items: LogItem[], limit: number): LogPage {
  const page = items.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page, nextCursor: items.length > limit && last ? encodeCursor(last) : null };
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}
