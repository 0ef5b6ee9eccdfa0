import { eventTypeSpec, eventTypes } from '@wms-webhooks/contracts';
import { z } from 'zod';
import {
  alwaysReservedHeaders,
  authHeaderName,
  authHeaderValue,
  connectionLevelHeaders,
  headerBytes,
  headerNamePattern,
  headerValuePattern,
  maxHeaderBytes,
  maxHeaderNameLength,
  maxHeaderValueLength,
} from './http-rules';
import { settingDefaults, type WebhookAuth, type WebhookSettings } from './webhook';

export interface FieldProblem {
  field: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

const maxHeaders = 50;
/** Lanes per webhook: each is a key on `webhooks.deliveries`, so more than its partitions add nothing. */
const maxConcurrencyLimit = 64;

const authSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('none') }).strict(),
    z
      .object({
        type: z.literal('basic'),
        username: z
          .string()
          .min(1, 'is required for basic auth')
          .refine(
            (value) => !value.includes(':'),
            'may not contain ":" (HTTP Basic joins username:password)',
          ),
        password: z.string().min(1, 'is required for basic auth').optional(),
      })
      .strict(),
    z
      .object({ type: z.literal('token'), token: z.string().min(1, 'is required for token auth').optional() })
      .strict(),
  ],
  { error: 'must be {"type":"none"}, {"type":"basic","username","password"} or {"type":"token","token"}' },
);

export const webhookSettingsInput = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200, 'may be at most 200 characters'),
    eventType: z.string({ error: 'is required' }),
    kind: z.enum(['regular', 'automation'], { error: 'must be "regular" or "automation"' }),
    goodsOwnerIds: z
      .array(z.number().int('must be whole numbers').positive('must be positive'), {
        error: 'must be an array of numbers',
      })
      .default([]),
    allGoodsOwners: z.boolean({ error: 'must be true or false' }).default(false),
    url: z.string({ error: 'is required' }).max(2048, 'may be at most 2048 characters'),
    email: z
      .string({ error: 'is required' })
      .max(254, 'may be at most 254 characters')
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address'),
    auth: authSchema.default({ type: 'none' }),
    headers: z.record(z.string(), z.string({ error: 'header values must be strings' })).default({}),
    filters: z
      .record(
        z.string(),
        z
          .array(z.string().min(1, 'may not be empty'), { error: 'must be an array of strings' })
          .min(1, 'must list at least one value'),
      )
      .default({}),
    retryPolicy: z.enum(['none', 'one-day'], { error: 'must be "none" or "one-day"' }).default('one-day'),
    enabled: z.boolean({ error: 'must be true or false' }).default(true),
    timeoutMs: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1000, 'must be at least 1000')
      .max(30000, 'may be at most 30000')
      .default(10000),
    maxConcurrency: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(maxConcurrencyLimit, `may be at most ${maxConcurrencyLimit}`)
      .default(settingDefaults.maxConcurrency),
    maxPerSecond: z
      .number({ error: 'must be a number or null' })
      .min(0.1, 'must be at least 0.1 (one delivery every 10 s)')
      .max(10_000, 'may be at most 10000')
      .nullable()
      .default(settingDefaults.maxPerSecond),
  })
  .strict();

type RawSettings = z.infer<typeof webhookSettingsInput>;

function pathOf(path: PropertyKey[]): string {
  return path.map(String).join('.');
}

function checkUrl(url: string, problems: FieldProblem[]) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push({ field: 'url', message: 'is not a valid URL' });
    return;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    problems.push({
      field: 'url',
      message: `must use http or https, not ${parsed.protocol.replace(':', '')}`,
    });
  }
  if (parsed.username || parsed.password) {
    problems.push({ field: 'url', message: 'may not contain credentials; use auth instead' });
  }
  if (parsed.hash) problems.push({ field: 'url', message: 'may not contain a #fragment' });
}

function checkScope(settings: RawSettings, problems: FieldProblem[]) {
  const unique = new Set(settings.goodsOwnerIds);
  if (unique.size !== settings.goodsOwnerIds.length) {
    problems.push({ field: 'goodsOwnerIds', message: 'may not list a goods owner twice' });
  }
  if (settings.kind === 'regular') {
    if (settings.allGoodsOwners) {
      problems.push({ field: 'allGoodsOwners', message: 'is only for automation webhooks' });
    }
    if (settings.goodsOwnerIds.length !== 1) {
      problems.push({
        field: 'goodsOwnerIds',
        message: 'a regular webhook must have exactly one goods owner',
      });
    }
  } else if (settings.allGoodsOwners && settings.goodsOwnerIds.length > 0) {
    problems.push({ field: 'goodsOwnerIds', message: 'must be empty when allGoodsOwners is true' });
  } else if (!settings.allGoodsOwners && settings.goodsOwnerIds.length === 0) {
    problems.push({
      field: 'goodsOwnerIds',
      message: 'an automation webhook needs one or more goods owners, or allGoodsOwners: true',
    });
  }
}

function checkHeader(name: string, value: string, reserved: Set<string>, settings: RawSettings): string[] {
  const lower = name.toLowerCase();
  const fromAuth = authHeaderName(settings.auth.type);
  const problems: string[] = [];
  if (name.length > maxHeaderNameLength) {
    problems.push(
      `header names may be at most ${maxHeaderNameLength} characters (this one has ${name.length})`,
    );
  } else if (!headerNamePattern.test(name)) {
    problems.push("is not a legal HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)");
  } else if (connectionLevelHeaders.has(lower)) {
    problems.push('is a connection-level header, which the sender manages itself; a webhook may not set it');
  } else if (reserved.has(lower)) {
    problems.push(
      lower === fromAuth
        ? `is set by ${settings.auth.type} auth; remove it or choose auth type none`
        : 'is set by the sender and may not be overridden',
    );
  }
  if (/[\r\n]/.test(value)) problems.push('may not contain CR or LF');
  else if (!headerValuePattern.test(value))
    problems.push('contains characters not allowed in an HTTP header');
  if (value.length > maxHeaderValueLength) problems.push(`may be at most ${maxHeaderValueLength} characters`);
  return problems;
}

/** A header name as a field path, cut short so a problem never echoes a huge name back. */
const headerField = (name: string) => `headers.${name.length > 40 ? `${name.slice(0, 32)}…` : name}`;

function checkHeaders(settings: RawSettings, problems: FieldProblem[]) {
  const entries = Object.entries(settings.headers);
  if (entries.length > maxHeaders)
    problems.push({ field: 'headers', message: `may hold at most ${maxHeaders} headers` });
  const reserved = new Set<string>(alwaysReservedHeaders);
  const fromAuth = authHeaderName(settings.auth.type);
  if (fromAuth) reserved.add(fromAuth);
  const seen = new Set<string>();
  let total = fromAuth ? headerBytes(fromAuth, authHeaderValue(settings.auth)) : 0;
  for (const [name, value] of entries) {
    const field = headerField(name);
    const lower = name.toLowerCase();
    const found = checkHeader(name, value, reserved, settings);
    if (found.length === 0 && seen.has(lower))
      found.push('is given twice (header names are case-insensitive)');
    for (const message of found) problems.push({ field, message });
    seen.add(lower);
    // A header refused on its own is not counted again in the total.
    if (found.length === 0) total += headerBytes(name, value);
  }
  if (total > maxHeaderBytes) {
    problems.push({
      field: 'headers',
      message: `may total at most ${maxHeaderBytes} bytes (each name, value and separators, auth included); these total ${total}`,
    });
  }
  if (
    settings.auth.type === 'token' &&
    settings.auth.token &&
    !headerValuePattern.test(settings.auth.token)
  ) {
    problems.push({
      field: 'auth.token',
      message: 'contains characters not allowed in an HTTP header (CR, LF, control characters)',
    });
  }
}

function checkEventTypeAndFilters(settings: RawSettings, problems: FieldProblem[]) {
  const spec = eventTypeSpec(settings.eventType);
  if (!spec) {
    problems.push({
      field: 'eventType',
      message: `unknown event type "${settings.eventType}"; known types: ${eventTypes.map((type) => type.type).join(', ')}`,
    });
    return;
  }
  for (const attribute of Object.keys(settings.filters)) {
    if (!spec.filterableAttributes.includes(attribute)) {
      const allowed = spec.filterableAttributes.join(', ');
      problems.push({
        field: `filters.${attribute}`,
        message: `${settings.eventType} cannot be filtered on "${attribute}"; filterable attributes: ${allowed}`,
      });
    }
  }
}

/**
 * Validates a create or replace body. Every problem is reported at once, each naming its field.
 * `existingAuth` is the stored auth on replace: a secret left out is kept, so a form that never saw
 * the (masked) secret can still be saved.
 */
export function parseWebhookSettings(
  body: unknown,
  existingAuth?: WebhookAuth,
): ParseResult<WebhookSettings> {
  const parsed = webhookSettingsInput.safeParse(body);
  const problems: FieldProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        field: issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : pathOf(issue.path) || '(body)',
        message: issue.code === 'unrecognized_keys' ? 'is not a webhook setting' : issue.message,
      }));
  // Semantic checks run on every field that is well-formed on its own, so one pass reports everything.
  const raw = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const settings: Partial<RawSettings> = {};
  const malformed = new Set<string>();
  for (const [key, fieldSchema] of Object.entries(webhookSettingsInput.shape)) {
    const field = fieldSchema.safeParse(raw[key]);
    if (field.success) Object.assign(settings, { [key]: field.data });
    else malformed.add(key);
  }
  const wellFormed = (...keys: Array<keyof RawSettings>) => keys.every((key) => !malformed.has(key));
  if (wellFormed('url')) checkUrl(settings.url as string, problems);
  if (wellFormed('kind', 'goodsOwnerIds', 'allGoodsOwners')) checkScope(settings as RawSettings, problems);
  if (wellFormed('eventType', 'filters')) checkEventTypeAndFilters(settings as RawSettings, problems);
  if (wellFormed('headers', 'auth')) checkHeaders(settings as RawSettings, problems);
  const auth = wellFormed('auth')
    ? completeAuth(settings.auth as RawSettings['auth'], existingAuth, problems)
    : undefined;
  if (!parsed.success || problems.length > 0 || !auth) return { ok: false, problems };
  return { ok: true, value: { ...parsed.data, auth } };
}

function completeAuth(
  auth: RawSettings['auth'],
  existing: WebhookAuth | undefined,
  problems: FieldProblem[],
): WebhookAuth | undefined {
  if (auth.type === 'none') return auth;
  if (auth.type === 'basic') {
    const password = auth.password ?? (existing?.type === 'basic' ? existing.password : undefined);
    if (!password) {
      problems.push({ field: 'auth.password', message: 'is required for basic auth' });
      return undefined;
    }
    return { type: 'basic', username: auth.username, password };
  }
  const token = auth.token ?? (existing?.type === 'token' ? existing.token : undefined);
  if (!token) {
    problems.push({ field: 'auth.token', message: 'is required for token auth' });
    return undefined;
  }
  return { type: 'token', token };
}
