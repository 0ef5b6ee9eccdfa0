import type { Auth, Problem, PublicWebhook } from './types';

export interface HeaderRow {
  name: string;
  value: string;
}

/** What the create/edit form holds: text as typed, turned into the API's body on save. */
export interface WebhookForm {
  name: string;
  eventType: string;
  kind: 'regular' | 'automation';
  goodsOwnerIds: string;
  allGoodsOwners: boolean;
  url: string;
  email: string;
  authType: Auth['type'];
  username: string;
  /** Blank while editing keeps the stored secret; the API never sends it back. */
  password: string;
  token: string;
  headers: HeaderRow[];
  /** attribute → comma-separated allowed values; blank means no filter on it. */
  filters: Record<string, string>;
  retryPolicy: 'none' | 'one-day';
  timeoutMs: string;
  maxConcurrency: string;
  /** Blank: no limit. */
  maxPerSecond: string;
  enabled: boolean;
}

export type FormField = keyof WebhookForm;

export function emptyForm(eventType: string, goodsOwnerId?: number): WebhookForm {
  return {
    name: '',
    eventType,
    kind: 'regular',
    goodsOwnerIds: goodsOwnerId === undefined ? '' : String(goodsOwnerId),
    allGoodsOwners: false,
    url: '',
    email: '',
    authType: 'none',
    username: '',
    password: '',
    token: '',
    headers: [],
    filters: {},
    retryPolicy: 'one-day',
    timeoutMs: '10000',
    maxConcurrency: '1',
    maxPerSecond: '',
    enabled: true,
  };
}

export function formFromWebhook(webhook: PublicWebhook): WebhookForm {
  return {
    name: webhook.name,
    eventType: webhook.eventType,
    kind: webhook.kind,
    goodsOwnerIds: webhook.goodsOwnerIds.join(', '),
    allGoodsOwners: webhook.allGoodsOwners,
    url: webhook.url,
    email: webhook.email,
    authType: webhook.auth.type,
    username: webhook.auth.type === 'basic' ? webhook.auth.username : '',
    password: '',
    token: '',
    headers: Object.entries(webhook.headers).map(([name, value]) => ({ name, value })),
    filters: Object.fromEntries(
      Object.entries(webhook.filters).map(([key, values]) => [key, values.join(', ')]),
    ),
    retryPolicy: webhook.retryPolicy,
    timeoutMs: String(webhook.timeoutMs),
    maxConcurrency: String(webhook.maxConcurrency),
    maxPerSecond: webhook.maxPerSecond === null ? '' : String(webhook.maxPerSecond),
    enabled: webhook.enabled,
  };
}

const list = (text: string) =>
  text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

/** The API body, or the problems found before sending (numbers that are not numbers). */
export function bodyFromForm(
  form: WebhookForm,
  filterableAttributes: readonly string[],
): { ok: true; body: Record<string, unknown> } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const owners = form.allGoodsOwners ? [] : list(form.goodsOwnerIds);
  const ownerIds = owners.map(Number);
  if (owners.some((owner) => !/^\d+$/.test(owner))) {
    problems.push({ field: 'goodsOwnerIds', message: 'must be whole numbers, separated by commas' });
  }
  if (!/^\d+$/.test(form.timeoutMs.trim())) {
    problems.push({ field: 'timeoutMs', message: 'must be a whole number of milliseconds' });
  }
  if (!/^\d+$/.test(form.maxConcurrency.trim())) {
    problems.push({ field: 'maxConcurrency', message: 'must be a whole number' });
  }
  const perSecond = form.maxPerSecond.trim();
  if (perSecond !== '' && !Number.isFinite(Number(perSecond))) {
    problems.push({ field: 'maxPerSecond', message: 'must be a number, or blank for no limit' });
  }
  if (problems.length > 0) return { ok: false, problems };
  const auth: Auth =
    form.authType === 'basic'
      ? { type: 'basic', username: form.username, ...(form.password ? { password: form.password } : {}) }
      : form.authType === 'token'
        ? { type: 'token', ...(form.token ? { token: form.token } : {}) }
        : { type: 'none' };
  const filters = Object.fromEntries(
    filterableAttributes
      .map((attribute) => [attribute, list(form.filters[attribute] ?? '')] as const)
      .filter(([, values]) => values.length > 0),
  );
  return {
    ok: true,
    body: {
      name: form.name,
      eventType: form.eventType,
      kind: form.kind,
      goodsOwnerIds: ownerIds,
      allGoodsOwners: form.kind === 'automation' && form.allGoodsOwners,
      url: form.url.trim(),
      email: form.email.trim(),
      auth,
      headers: Object.fromEntries(
        form.headers.filter((row) => row.name.trim() !== '').map((row) => [row.name.trim(), row.value]),
      ),
      filters,
      retryPolicy: form.retryPolicy,
      timeoutMs: Number(form.timeoutMs),
      maxConcurrency: Number(form.maxConcurrency),
      maxPerSecond: perSecond === '' ? null : Number(perSecond),
      enabled: form.enabled,
    },
  };
}

const fieldAliases: Record<string, FormField> = {
  auth: 'authType',
  'auth.type': 'authType',
  'auth.username': 'username',
  'auth.password': 'password',
  'auth.token': 'token',
};

/** The API names fields by path (auth.password, headers.X-Tenant, filters.orderType); the form by input. */
export function problemsByField(problems: readonly Problem[]): Partial<Record<FormField | 'form', string[]>> {
  const byField: Partial<Record<FormField | 'form', string[]>> = {};
  for (const problem of problems) {
    const alias = fieldAliases[problem.field];
    const [head = ''] = problem.field.split('.');
    const field: FormField | 'form' = alias ?? (head in emptyForm('') ? (head as FormField) : 'form');
    const named = field === 'form' || (!alias && problem.field !== head);
    const detail = named ? `${problem.field}: ${problem.message}` : problem.message;
    byField[field] = [...(byField[field] ?? []), detail];
  }
  return byField;
}
