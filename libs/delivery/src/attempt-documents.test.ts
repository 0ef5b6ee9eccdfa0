import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, type LogItem } from './attempt-documents';

const item = { startedAt: new Date(Date.UTC(2026, 10, 23, 9)), id: '0123456789abcdef01234567' } as LogItem;

describe('a Logs cursor', () => {
  it('carries the last row’s start and id', () => {
    expect(decodeCursor(encodeCursor(item))).toEqual({
      startedAt: item.startedAt,
      id: expect.objectContaining({}),
    });
    expect(decodeCursor(encodeCursor(item))?.id.toHexString()).toBe(item.id);
  });

  it('carries where in the pages the row was read, when it was', () => {
    expect(decodeCursor(encodeCursor(item, 'all.12.63'))?.position).toBe('all.12.63');
    expect(decodeCursor(encodeCursor(item))).not.toHaveProperty('position');
  });

  it('is refused when it is not one the API made', () => {
    const made = (text: string) => Buffer.from(text).toString('base64url');
    expect(decodeCursor(made('yesterday:0123456789abcdef01234567'))).toBeUndefined();
    expect(decodeCursor(made('1700000000000:not-an-id'))).toBeUndefined();
    expect(decodeCursor(made('1700000000000:0123456789abcdef01234567:all.1.2:more'))).toBeUndefined();
  });
});
