import { useCallback, useEffect, useState } from 'react';
import { ActivityChart } from './activity-chart';
import type { Api } from './api-client';
import { AttemptDetailView } from './attempt-detail';
import { ReplayPanel } from './replay-panel';
import type { ActivityHistory, ActivityWindow, LogItem, LogRetention, PublicWebhook } from './types';

type OutcomeFilter = '' | 'succeeded' | 'failed';

const windowNames: Record<ActivityWindow, string> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
};
const perStep = (stepHours: number) =>
  stepHours === 1 ? 'per hour' : stepHours === 24 ? 'per day' : `per ${stepHours} hours`;

function retentionNote(retention: LogRetention): string {
  const days = retention.retentionDays;
  const kept = days >= 1 ? `${Number(days.toFixed(1))} days` : `${Math.round(days * 24 * 60)} minutes`;
  const measured = retention.measuredAt ? ` at ${new Date(retention.measuredAt).toLocaleTimeString()}` : '';
  const size =
    retention.bytes === null ? '' : `; the log held ${(retention.bytes / 1e6).toFixed(1)} MB${measured}`;
  const oldest = retention.oldestAt ? `, back to ${new Date(retention.oldestAt).toLocaleString()}` : '';
  return `Attempts are kept ${kept}${size}${oldest}.`;
}

/** Attempts newest first, 25 a page; a cursor stack lets the operator page back towards the newest. */
export function LogsView({ api, id, replayFrom }: { api: Api; id: string; replayFrom?: string }) {
  const [webhook, setWebhook] = useState<PublicWebhook>();
  const [outcome, setOutcome] = useState<OutcomeFilter>('');
  /** The delivery the Logs are filtered to, as typed (a receiver's `webhook-id`), or '' for every delivery. */
  const [delivery, setDelivery] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<{ items: LogItem[]; nextCursor: string | null }>();
  const [message, setMessage] = useState<string>();
  const [chartWindow, setChartWindow] = useState<ActivityWindow>('24h');
  const [history, setHistory] = useState<ActivityHistory>();
  const [retention, setRetention] = useState<LogRetention>();
  const [opened, setOpened] = useState<string>();
  const [replaying, setReplaying] = useState(replayFrom !== undefined);

  const cursor = cursors[cursors.length - 1];
  const loadPage = useCallback(() => {
    const query = new URLSearchParams({ limit: '25' });
    if (outcome) query.set('outcome', outcome);
    if (delivery) query.set('deliveryId', delivery);
    if (cursor) query.set('cursor', cursor);
    api<{ items: LogItem[]; nextCursor: string | null }>(`/api/webhooks/${id}/logs?${query}`).then(
      setPage,
      (error: Error) => setMessage(error.message),
    );
  }, [api, id, outcome, delivery, cursor]);
  const loadChart = useCallback(() => {
    api<ActivityHistory>(`/api/webhooks/${id}/activity/history?window=${chartWindow}`).then(setHistory, () =>
      setHistory(undefined),
    );
  }, [api, id, chartWindow]);
  const load = useCallback(() => {
    loadPage();
    loadChart();
  }, [loadPage, loadChart]);
  useEffect(loadPage, [loadPage]);
  useEffect(loadChart, [loadChart]);
  useEffect(() => {
    api<PublicWebhook>(`/api/webhooks/${id}`).then(setWebhook, (error: Error) => setMessage(error.message));
    api<LogRetention>('/api/logs/retention').then(setRetention, () => setRetention(undefined));
  }, [api, id]);

  const resend = async (item: LogItem) => {
    try {
      await api(`/api/webhooks/${id}/deliveries/${item.deliveryId}/resend`, {
        method: 'POST',
        body: { attemptId: item.id },
      });
      setMessage(
        `Resent delivery ${item.deliveryId} (attempt ${item.attempt + 1}); it appears here once sent.`,
      );
      setCursors([]);
      setTimeout(load, 1_000);
    } catch (error) {
      setMessage(`Resend refused: ${(error as Error).message}`);
    }
  };

  return (
    <section>
      <div className="toolbar">
        <h1>Logs · {webhook?.name ?? id}</h1>
        <label htmlFor="outcome-filter">Outcome</label>
        <select
          id="outcome-filter"
          value={outcome}
          onChange={(e) => {
            setOutcome(e.target.value as OutcomeFilter);
            setCursors([]);
          }}
        >
          <option value="">all</option>
          <option value="succeeded">succeeded</option>
          <option value="failed">failed</option>
        </select>
        <form
          className="delivery-filter"
          onSubmit={(e) => {
            e.preventDefault();
            const typed = new FormData(e.currentTarget).get('delivery');
            setDelivery(typeof typed === 'string' ? typed.trim() : '');
            setCursors([]);
          }}
        >
          <label htmlFor="delivery-filter">Delivery</label>
          <input
            id="delivery-filter"
            name="delivery"
            placeholder="delivery id (webhook-id)"
            defaultValue={delivery}
            key={delivery}
          />
          <button type="submit">Find</button>
          {delivery && (
            <button
              type="button"
              onClick={() => {
                setDelivery('');
                setCursors([]);
              }}
            >
              All deliveries
            </button>
          )}
        </form>
        <button type="button" onClick={load}>
          Refresh
        </button>
        <button type="button" aria-expanded={replaying} onClick={() => setReplaying(!replaying)}>
          Replay…
        </button>
        <a href={`#/webhooks/${id}`}>Settings</a>
      </div>
      {replaying && (
        <ReplayPanel
          api={api}
          webhookId={id}
          initialFrom={replayFrom}
          onStarted={() => setTimeout(load, 2_000)}
        />
      )}
      {history && (
        <figure className="activity">
          <ActivityChart points={history.points} size="large" period={windowNames[history.window]} />
          <figcaption>
            <label htmlFor="chart-window">Attempts {perStep(history.stepHours)}</label>{' '}
            <select
              id="chart-window"
              value={chartWindow}
              onChange={(e) => setChartWindow(e.target.value as ActivityWindow)}
            >
              {Object.entries(windowNames).map(([value, name]) => (
                <option key={value} value={value}>
                  {name.toLowerCase()}
                </option>
              ))}
            </select>
            : {history.points.reduce((sum, point) => sum + point.attempts, 0)} in all,{' '}
            {history.points.reduce((sum, point) => sum + point.failures, 0)} failed.
          </figcaption>
        </figure>
      )}
      {retention && <p className="retention">{retentionNote(retention)}</p>}
      {message && <output className="message">{message}</output>}
      {page && page.items.length === 0 && (
        <p>
          No attempts{delivery ? ` of delivery ${delivery}` : ''}
          {outcome ? ` that ${outcome}` : ''}
          {delivery ? ' within the retention.' : ' yet.'}
        </p>
      )}
      {page && page.items.length > 0 && (
        <table className="logs">
          <thead>
            <tr>
              <th>Time</th>
              <th>Delivery</th>
              <th>Event</th>
              <th>Attempt</th>
              <th>Outcome</th>
              <th>Status</th>
              <th>Duration</th>
              <th>Error</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.items.map((item) => [
              <tr key={item.id} className={item.outcome}>
                <td>{new Date(item.startedAt).toLocaleString()}</td>
                <td title={item.deliveryId}>
                  {item.deliveryId.slice(0, 8)}
                  {item.test ? ' (test)' : ''}
                  {item.replayId ? (
                    <span className="tag" title={`replay ${item.replayId}`}>
                      {' '}
                      replay
                    </span>
                  ) : (
                    ''
                  )}
                </td>
                <td>{item.eventType}</td>
                <td>{item.attempt}</td>
                <td>
                  {item.outcome}
                  {item.outcome === 'failed' && !item.final && item.nextAttemptAt
                    ? `, retry at ${new Date(item.nextAttemptAt).toLocaleTimeString()}`
                    : ''}
                </td>
                <td>{item.statusCode ?? '–'}</td>
                <td>{item.durationMs} ms</td>
                <td className="error-text">{item.error ?? ''}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="link"
                    aria-expanded={opened === item.id}
                    onClick={() => setOpened(opened === item.id ? undefined : item.id)}
                  >
                    Details
                  </button>
                  {item.resendable && (
                    <button type="button" onClick={() => resend(item)}>
                      Resend
                    </button>
                  )}
                </td>
              </tr>,
              opened === item.id && (
                <tr key={`${item.id}-detail`} className="detail">
                  <td colSpan={9}>
                    <AttemptDetailView api={api} webhookId={id} attemptId={item.id} />
                  </td>
                </tr>
              ),
            ])}
          </tbody>
        </table>
      )}
      <div className="pager">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          ← Newer
        </button>
        <button
          type="button"
          disabled={!page?.nextCursor}
          onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}
        >
          Older →
        </button>
      </div>
    </section>
  );
}
