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

export function authHeaderName(authType: string): string | undefined {
  if (authType === 'basic') return 'authorization';
  if (authType === 'token') return 'x-auth-token';
  return undefined;
}
