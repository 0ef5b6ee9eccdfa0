import { useCallback, useEffect, useState } from 'react';
import { ActivityChart } from './activity-chart';
import type { Api } from './api-client';
import { QuotaNote } from './quota-note';
import { TestButton } from './test-button';
import type { Principal, PublicWebhook } from './types';

function scopeOf(webhook: PublicWebhook): string {
  if (webhook.allGoodsOwners) return 'all goods owners';
  return `${webhook.kind === 'automation' ? 'owners' : 'owner'} ${webhook.goodsOwnerIds.join(', ')}`;
}

function failureRate(webhook: PublicWebhook): string {
  const activity = webhook.activity;
  if (!activity || activity.recentAttempts === 0) return '–';
  return `${Math.round((100 * activity.recentFailures) / activity.recentAttempts)}% of ${activity.recentAttempts}`;
}

export function WebhookList({ api, principal }: { api: Api; principal: Principal }) {
  const [owner, setOwner] = useState('');
  const [webhooks, setWebhooks] = useState<PublicWebhook[]>();
  const [error, setError] = useState<string>();

  const load = useCallback(() => {
    const query = /^\d+$/.test(owner.trim()) ? `?goodsOwnerId=${owner.trim()}` : '';
    api<{ items: PublicWebhook[] }>(`/api/webhooks${query}`).then(
      (page) => {
        setWebhooks(page.items);
        setError(undefined);
      },
      (failure: Error) => setError(failure.message),
    );
  }, [api, owner]);
  useEffect(load, [load]);

  return (
    <section>
      <div className="toolbar">
        <h1>Webhooks</h1>
        <label htmlFor="owner-filter">Goods owner</label>
        {principal.role === 'admin' ? (
          <input
            id="owner-filter"
            inputMode="numeric"
            placeholder="all"
            value={owner}
            onChange={(e) => setOwner(e.target.value)}
          />
        ) : (
          <select id="owner-filter" value={owner} onChange={(e) => setOwner(e.target.value)}>
            <option value="">all of mine</option>
            {principal.goodsOwnerIds.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        )}
        <a className="button" href="#/webhooks/new">
          New webhook
        </a>
      </div>
      {error && <p className="error">{error}</p>}
      <QuotaNote api={api} refresh={webhooks} />
      {webhooks && webhooks.length === 0 && <p>No webhooks yet.</p>}
      {webhooks && webhooks.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Event</th>
              <th>Scope</th>
              <th>URL</th>
              <th>Enabled</th>
              <th>Last delivery</th>
              <th>Last 24 hours</th>
              <th>Failures (24 h)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => (
              <tr key={webhook.id} aria-label={`webhook ${webhook.name}`}>
                <td>
                  <a href={`#/webhooks/${webhook.id}`}>{webhook.name}</a>
                </td>
                <td>{webhook.eventType}</td>
                <td>{scopeOf(webhook)}</td>
                <td className="url">{webhook.url}</td>
                <td>
                  {webhook.enabled ? 'yes' : webhook.disabledReason ? `no: ${webhook.disabledReason}` : 'no'}
                </td>
                <td className={webhook.activity?.lastOutcome ?? ''}>
                  {webhook.activity?.lastOutcome ?? 'none yet'}
                </td>
                <td>
                  {webhook.activity && (
                    <ActivityChart
                      points={webhook.activity.hourly.map(({ hour, ...counts }) => ({
                        start: hour,
                        ...counts,
                      }))}
                      size="small"
                      period="Last 24 hours"
                    />
                  )}
                </td>
                <td>{failureRate(webhook)}</td>
                <td className="actions">
                  <TestButton api={api} webhookId={webhook.id} onResult={load} />
                  <a href={`#/webhooks/${webhook.id}/logs`}>Logs</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
