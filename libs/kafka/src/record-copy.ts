import { type OutgoingRecord, recordBytes } from './idempotent-producer';

/** A record's bytes as kept in a filing topic (invalid or quarantine): whole, or its first bytes. */
export interface RecordCopy {
  originalKey: Buffer | null;
  originalValue: Buffer | null;
  originalHeaders: Record<string, Buffer>;
  /** Bytes of the original key, value and headers. */
  originalSize: number;
  /** Only the first bytes of the value are kept, and no headers; such a copy cannot be re-injected. */
  truncated: boolean;
}

/** What a truncated copy keeps: enough to see what the record was, far below any topic's limit. */
export const truncatedValueBytes = 64 * 1024;
const truncatedKeyBytes = 1024;

const asBuffer = (value: Buffer | string | null) =>
  value === null ? null : typeof value === 'string' ? Buffer.from(value) : value;

/**
 * Copies a record for filing. It is kept whole when it fits in `roomBytes` (the filing topic's limit less
 * the entry's own fields); otherwise the copy is a reference: the first bytes of key and value, no
 * headers, and the original size.
 */
export function copyOfRecord(
  record: { key: Buffer | string | null; value: Buffer | null; headers?: Record<string, Buffer | string> },
  roomBytes: number,
): RecordCopy {
  const key = asBuffer(record.key);
  const value = record.value;
  const headers = Object.fromEntries(
    Object.entries(record.headers ?? {}).map(([name, header]) => [name, asBuffer(header) as Buffer]),
  );
  const originalSize = recordBytes({
    key,
    value: value ?? Buffer.alloc(0),
    headers,
  } satisfies OutgoingRecord);
  if (originalSize <= roomBytes) {
    return {
      originalKey: key,
      originalValue: value,
      originalHeaders: headers,
      originalSize,
      truncated: false,
    };
  }
  return {
    originalKey: key?.subarray(0, truncatedKeyBytes) ?? null,
    originalValue: value?.subarray(0, Math.min(truncatedValueBytes, roomBytes)) ?? null,
    originalHeaders: {},
    originalSize,
    truncated: true,
  };
}

/** Room a filing entry leaves for the copy in a topic with this max.message.bytes: its own fields are small. */
export function copyRoomIn(maxMessageBytes: number): number {
  return maxMessageBytes - 16 * 1024;
}
