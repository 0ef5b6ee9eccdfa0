import { credentialName, redactCredentials } from '@wms-webhooks/config';
import type { DeliveryRequest } from './delivery-request';

/** Headers as a list: a header's name may hold `.` or `$`, which a document's field names must not. */
export type HeaderList = Array<{ name: string; value: string }>;

export interface BodyExcerpt {
  /** The first `excerptBytes` of the body, as UTF-8. */
  text: string;
  /** The body's size as far as it was read (a response is read up to 64 KB). */
  bytes: number;
  /** Whether `text` is less than the whole body. */
  truncated: boolean;
}

/** What a failed attempt sent and what came back, as the Logs' detail view shows it. */
export interface AttemptExchange {
  request: { method: 'POST'; url: string; headers: HeaderList; body: BodyExcerpt };
  /** Null when no answer came: the attempt's error names the phase that failed (DNS, connect, TLS, timeout). */
  response: { headers: HeaderList; body: BodyExcerpt } | null;
}

export const excerptBytes = 4096;
/** Per request or response: names and values together. */
const headerChars = 4096;
const maxHeaderValueChars = 1024;
/** As every log line masks them (redactCredentials). */
const masked = '***';
const schemeFirst = new Set(['authorization', 'proxy-authorization']);

/**
 * A header as the Logs may show it. Credentials and signatures are masked: an Authorization keeps its
 * scheme (`Basic ***`), a signature its version (`v1,***`), and any header named like a credential (in the
 * operator's own headers as much as in the ones the sender sets) is masked whole.
 */
export function maskHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'webhook-signature') {
    return value
      .split(' ')
      .map((signature) => `${signature.split(',')[0]},${masked}`)
      .join(' ');
  }
  if (schemeFirst.has(lower)) {
    const scheme = /^(\S+)\s/.exec(value)?.[1];
    return scheme ? `${scheme} ${masked}` : masked;
  }
  return credentialName.test(lower) ? masked : value;
}

export function headerList(headers: Record<string, string | string[] | undefined>): HeaderList {
  const lines = Object.entries(headers).flatMap(([name, raw]) =>
    raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map((value) => ({ name, value })),
  );
  const list: HeaderList = [];
  let used = 0;
  for (const [index, { name, value }] of lines.entries()) {
    const shown = maskHeader(name, value);
    const line = {
      name,
      value: shown.length > maxHeaderValueChars ? `${shown.slice(0, maxHeaderValueChars)}…` : shown,
    };
    used += line.name.length + line.value.length;
    if (used > headerChars) {
      list.push({ name: '…', value: `${lines.length - index} more headers not kept` });
      break;
    }
    list.push(line);
  }
  return list;
}

/** The first `excerptBytes` of a body; a multi-byte character cut at the end shows as U+FFFD. */
export function bodyExcerpt(body: Buffer | string, bytes = Buffer.byteLength(body)): BodyExcerpt {
  const buffer = typeof body === 'string' ? Buffer.from(body) : body;
  const kept = buffer.subarray(0, excerptBytes);
  return { text: kept.toString('utf8'), bytes, truncated: kept.length < bytes };
}

export function requestExcerpt(request: DeliveryRequest): AttemptExchange['request'] {
  return {
    method: 'POST',
    url: redactCredentials(request.url),
    headers: headerList(request.headers),
    body: bodyExcerpt(request.body),
  };
}
