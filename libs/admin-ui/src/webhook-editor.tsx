import { type FormEvent, useEffect, useState } from 'react';
import type { Api, ApiError } from './api-client';
import { Field, Problems, SecretField } from './field';
import {
  bodyFromForm,
  emptyForm,
  type FormField,
  formFromWebhook,
  type HeaderRow,
  problemsByField,
  type WebhookForm,
} from './form-model';
import { SecretNotice } from './secret-notice';
import { TestButton } from './test-button';
import type { EventTypeInfo, Principal, PublicWebhook } from './types';
import { navigate } from './use-hash-route';

type ProblemsByField = Partial<Record<FormField | 'form', string[]>>;

export function WebhookEditor({
  api,
  principal,
  id,
  onDone,
}: {
  api: Api;
  principal: Principal;
  id?: string;
  onDone: () => void;
}) {
  const [eventTypes, setEventTypes] = useState<EventTypeInfo[]>([]);
  const [form, setForm] = useState<WebhookForm>();
  const [stored, setStored] = useState<PublicWebhook>();
  const [problems, setProblems] = useState<ProblemsByField>({});
  const [secret, setSecret] = useState<{ secret: string; previousValidUntil?: string }>();
  const [saved, setSaved] = useState(false);
  /** Saved enabled after being disabled since then: what it missed can be replayed. */
  const [missedSince, setMissedSince] = useState<string>();

  useEffect(() => {
    api<{ items: EventTypeInfo[] }>('/api/catalogue').then((page) => {
      setEventTypes(page.items);
      if (!id) {
        const owner = principal.role === 'goods-owner' ? principal.goodsOwnerIds[0] : undefined;
        setForm(emptyForm(page.items[0]?.eventType ?? '', owner));
      }
    });
    if (id) {
      api<PublicWebhook>(`/api/webhooks/${id}`).then(
        (webhook) => {
          setStored(webhook);
          setForm(formFromWebhook(webhook));
        },
        (error: Error) => setProblems({ form: [error.message] }),
      );
    }
  }, [api, id, principal]);

  if (!form) return <p>{problems.form?.join(' ') ?? 'Loading…'}</p>;
  const chosenType = eventTypes.find((type) => type.eventType === form.eventType);
  const filters = chosenType?.filters ?? [];
  const attributes = filters.map((filter) => filter.attribute);
  const set = <K extends FormField>(field: K, value: WebhookForm[K]) => {
    setForm({ ...form, [field]: value });
    setSaved(false);
  };
  const setHeader = (index: number, change: Partial<HeaderRow>) =>
    set(
      'headers',
      form.headers.map((row, at) => (at === index ? { ...row, ...change } : row)),
    );

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const body = bodyFromForm(form, attributes);
    if (!body.ok) return setProblems(problemsByField(body.problems));
    try {
      const result = await api<PublicWebhook & { signingSecret?: string }>(
        id ? `/api/webhooks/${id}` : '/api/webhooks',
        {
          method: id ? 'PUT' : 'POST',
          body: body.body,
        },
      );
      setProblems({});
      setMissedSince(
        stored && !stored.enabled && result.enabled ? (stored.disabledAt ?? undefined) : undefined,
      );
      setStored(result);
      setForm(formFromWebhook(result));
      setSaved(true);
      if (result.signingSecret) setSecret({ secret: result.signingSecret });
      if (!id) navigate(`/webhooks/${result.id}`);
    } catch (error) {
      const failure = error as ApiError;
      setProblems(
        failure.problems.length > 0 ? problemsByField(failure.problems) : { form: [failure.message] },
      );
    }
  };

  const rotate = async () => {
    if (!id || !window.confirm('Rotate the signing secret? The old one keeps signing for 24 hours.')) return;
    const result = await api<{ signingSecret: string; previousSecretValidUntil: string }>(
      `/api/webhooks/${id}/rotate-secret`,
      { method: 'POST' },
    );
    setSecret({ secret: result.signingSecret, previousValidUntil: result.previousSecretValidUntil });
  };

  const remove = async () => {
    if (!id || !window.confirm(`Delete webhook "${stored?.name}"?`)) return;
    await api(`/api/webhooks/${id}`, { method: 'DELETE' });
    onDone();
  };

  return (
    <section>
      <h1>{id ? `Webhook ${stored?.name ?? ''}` : 'New webhook'}</h1>
      {secret && <SecretNotice {...secret} onDismiss={() => setSecret(undefined)} />}
      <form className="editor" onSubmit={save} noValidate>
        {problems.form && <p className="error">{problems.form.join(' ')}</p>}
        <Field id="name" label="Name" problems={problems.name}>
          <input id="name" value={form.name} onChange={(e) => set('name', e.target.value)} />
        </Field>
        <Field id="eventType" label="Event type" hint={chosenType?.description} problems={problems.eventType}>
          <select
            id="eventType"
            aria-describedby="eventType-hint"
            value={form.eventType}
            onChange={(e) => set('eventType', e.target.value)}
          >
            {eventTypes.map((type) => (
              <option key={type.eventType} value={type.eventType} title={type.description}>
                {type.eventType}
              </option>
            ))}
          </select>
        </Field>
        {chosenType && (
          <details className="sample-payload">
            <summary>Sample payload (what Test sends in data)</summary>
            <pre>{JSON.stringify(chosenType.sample.payload, null, 2)}</pre>
          </details>
        )}
        <Field id="kind" label="Kind" problems={problems.kind}>
          <select
            id="kind"
            value={form.kind}
            onChange={(e) => set('kind', e.target.value as WebhookForm['kind'])}
          >
            <option value="regular">regular (one goods owner)</option>
            <option value="automation">automation (several goods owners, or all)</option>
          </select>
        </Field>
        {form.kind === 'automation' && principal.role === 'admin' && (
          <div className="field checkbox">
            <input
              id="allGoodsOwners"
              type="checkbox"
              checked={form.allGoodsOwners}
              onChange={(e) => set('allGoodsOwners', e.target.checked)}
            />
            <label htmlFor="allGoodsOwners">All goods owners</label>
          </div>
        )}
        {!(form.kind === 'automation' && form.allGoodsOwners) && (
          <Field
            id="goodsOwnerIds"
            label={form.kind === 'regular' ? 'Goods owner' : 'Goods owners (comma-separated)'}
            problems={[...(problems.goodsOwnerIds ?? []), ...(problems.allGoodsOwners ?? [])]}
          >
            <input
              id="goodsOwnerIds"
              value={form.goodsOwnerIds}
              onChange={(e) => set('goodsOwnerIds', e.target.value)}
            />
          </Field>
        )}
        <Field id="url" label="URL" problems={problems.url}>
          <input id="url" type="url" value={form.url} onChange={(e) => set('url', e.target.value)} />
        </Field>
        <Field id="email" label="Email for failures" problems={problems.email}>
          <input id="email" type="email" value={form.email} onChange={(e) => set('email', e.target.value)} />
        </Field>
        <Field id="authType" label="Authentication" problems={problems.authType}>
          <select
            id="authType"
            value={form.authType}
            onChange={(e) => set('authType', e.target.value as WebhookForm['authType'])}
          >
            <option value="none">none</option>
            <option value="basic">HTTP Basic</option>
            <option value="token">X-Auth-Token header</option>
          </select>
        </Field>
        {form.authType === 'basic' && (
          <>
            <Field id="username" label="Username" problems={problems.username}>
              <input id="username" value={form.username} onChange={(e) => set('username', e.target.value)} />
            </Field>
            <SecretField
              id="password"
              label="Password"
              problems={problems.password}
              value={form.password}
              editing={Boolean(id)}
              onChange={(value) => set('password', value)}
            />
          </>
        )}
        {form.authType === 'token' && (
          <SecretField
            id="token"
            label="Token"
            problems={problems.token}
            value={form.token}
            editing={Boolean(id)}
            onChange={(value) => set('token', value)}
          />
        )}
        <fieldset className={problems.headers ? 'invalid' : ''}>
          <legend>Additional headers</legend>
          {form.headers.map((row, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position
            <div className="row" key={index}>
              <input
                aria-label={`Header ${index + 1} name`}
                placeholder="Name"
                value={row.name}
                onChange={(e) => setHeader(index, { name: e.target.value })}
              />
              <input
                aria-label={`Header ${index + 1} value`}
                placeholder="Value"
                value={row.value}
                onChange={(e) =>
                  set(
                    'headers',
                    form.headers.map((item, at) =>
                      at === index ? { ...item, value: e.target.value } : item,
                    ),
                  )
                }
              />
              <button
                type="button"
                className="link"
                onClick={() =>
                  set(
                    'headers',
                    form.headers.filter((_, at) => at !== index),
                  )
                }
              >
                Remove
              </button>
            </div>
          ))}
          <button type="button" onClick={() => set('headers', [...form.headers, { name: '', value: '' }])}>
            Add header
          </button>
          <Problems problems={problems.headers} />
        </fieldset>
        <fieldset className={problems.filters ? 'invalid' : ''}>
          <legend>Filters (comma-separated values; blank means any)</legend>
          {filters.map(({ attribute, description }) => (
            <Field key={attribute} id={`filter-${attribute}`} label={attribute} hint={description}>
              <input
                id={`filter-${attribute}`}
                aria-describedby={`filter-${attribute}-hint`}
                value={form.filters[attribute] ?? ''}
                onChange={(e) => set('filters', { ...form.filters, [attribute]: e.target.value })}
              />
            </Field>
          ))}
          <Problems problems={problems.filters} />
        </fieldset>
        <Field id="retryPolicy" label="Retry policy" problems={problems.retryPolicy}>
          <select
            id="retryPolicy"
            value={form.retryPolicy}
            onChange={(e) => set('retryPolicy', e.target.value as WebhookForm['retryPolicy'])}
          >
            <option value="one-day">One day (1, 5, 15, 30 min, then every 2 h)</option>
            <option value="none">None</option>
          </select>
        </Field>
        <Field id="timeoutMs" label="Timeout (ms)" problems={problems.timeoutMs}>
          <input
            id="timeoutMs"
            inputMode="numeric"
            value={form.timeoutMs}
            onChange={(e) => set('timeoutMs', e.target.value)}
          />
        </Field>
        <Field
          id="maxConcurrency"
          label="Deliveries at once"
          hint="1 keeps them in the order events happened; more sends that many at once, order not kept."
          problems={problems.maxConcurrency}
        >
          <input
            id="maxConcurrency"
            inputMode="numeric"
            aria-describedby="maxConcurrency-hint"
            value={form.maxConcurrency}
            onChange={(e) => set('maxConcurrency', e.target.value)}
          />
        </Field>
        <Field
          id="maxPerSecond"
          label="Deliveries per second at most"
          hint="Blank for no limit. A receiver's 429 or 503 with Retry-After slows deliveries too, for a while."
          problems={problems.maxPerSecond}
        >
          <input
            id="maxPerSecond"
            inputMode="decimal"
            aria-describedby="maxPerSecond-hint"
            value={form.maxPerSecond}
            onChange={(e) => set('maxPerSecond', e.target.value)}
          />
        </Field>
        <div className="field checkbox">
          <input
            id="enabled"
            type="checkbox"
            checked={form.enabled}
            onChange={(e) => set('enabled', e.target.checked)}
          />
          <label htmlFor="enabled">Enabled</label>
        </div>
        <div className="buttons">
          <button type="submit">{id ? 'Save' : 'Create'}</button>
          {saved && <output>Saved.</output>}
          {saved && missedSince && (
            <output className="offer">
              Enabled again: it missed what happened since {new Date(missedSince).toLocaleString()}.{' '}
              <a href={`#/webhooks/${id}/logs?replayFrom=${encodeURIComponent(missedSince)}`}>
                Replay what it missed
              </a>
            </output>
          )}
          {id && (
            <>
              <TestButton api={api} webhookId={id} />
              <a href={`#/webhooks/${id}/logs`}>Logs</a>
              <button type="button" onClick={rotate}>
                Rotate secret
              </button>
              <button type="button" className="danger" onClick={remove}>
                Delete
              </button>
            </>
          )}
        </div>
      </form>
    </section>
  );
}
