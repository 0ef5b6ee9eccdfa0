const userInfo = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>]+)@/gi;
/** Names of headers and query parameters that carry credentials. */
export const credentialName =
  /auth|token|secret|password|passwd|api[-_]?key|cookie|session|signature|credential/i;
const secretParameter = new RegExp(
  `([?&][^=&\\s"'#]*(?:${credentialName.source})[^=&\\s"'#]*=)[^&\\s"'#]*`,
  'gi',
);

/**
 * Any URL in the text with its credentials masked: the password of `user:password@` (the whole
 * user-info when it has no colon, as a token often stands there alone) and query parameters named like a
 * credential. For every line a service logs, every endpoint a tool prints and every URL the Logs show.
 */
export function redactCredentials(text: string): string {
  if (!text.includes('@') && !text.includes('=')) return text;
  return text
    .replace(userInfo, (_match, scheme: string, info: string) => {
      const colon = info.indexOf(':');
      return `${scheme}${colon === -1 ? '***' : `${info.slice(0, colon)}:***`}@`;
    })
    .replace(secretParameter, '$1***');
}

/**
 * An http(s) URL's user-info taken out as HTTP Basic credentials: fetch refuses URLs that carry them,
 * and an address without them can be logged and compared.
 */
export function splitUrlCredentials(url: string): {
  url: string;
  credentials?: { username: string; password: string };
} {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { url };
  const credentials = {
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString().replace(/\/$/, ''), credentials };
}

export function basicAuthorization(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
