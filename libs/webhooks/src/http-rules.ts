import { basicAuthorization } from '@wms-webhooks/config';

/** RFC 9110 token: the characters a header name may use. */
export const headerNamePattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Visible ASCII, space and tab; no CR, LF or other control characters. */
export const headerValuePattern = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Headers the sender sets itself; an operator may not override them. */
export const alwaysReservedHeaders = [
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'webhook-attempt',
] as const;

/** The header each kind of auth sends, as the sender spells it. */
const sentAuthHeaders: Record<string, string> = { basic: 'Authorization', token: 'X-Auth-Token' };

export function sentAuthHeaderName(authType: string): string | undefined {
  return sentAuthHeaders[authType];
}

/** The same, lower-cased, for comparing with the operator's header names. */
export function authHeaderName(authType: string): string | undefined {
  return sentAuthHeaders[authType]?.toLowerCase();
}

/** What that header carries; a secret not given yet (kept from the stored webhook) counts as empty. */
export function authHeaderValue(
  auth:
    | { type: 'none' }
    | { type: 'basic'; username: string; password?: string }
    | { type: 'token'; token?: string },
): string {
  if (auth.type === 'basic')
    return basicAuthorization({ username: auth.username, password: auth.password ?? '' });
  if (auth.type === 'token') return auth.token ?? '';
  return '';
}

/**
 * Headers about one connection, not the message (RFC 9110 7.6.1), and Expect: the HTTP client manages
 * them itself and refuses a request that sets them, so a webhook carrying one would fail every attempt.
 */
export const connectionLevelHeaders: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'http2-settings',
]);

export const maxHeaderNameLength = 128;
export const maxHeaderValueLength = 4096;
/**
 * The operator's headers and the auth header together, counted as sent (`name: value` and CRLF). Many
 * receivers refuse a request whose headers pass 8 KB; the sender's own headers add about 400 bytes.
 */
export const maxHeaderBytes = 8192;

export const headerBytes = (name: string, value: string) =>
  Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
