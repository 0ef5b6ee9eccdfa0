import { type FormEvent, useEffect, useState } from 'react';
import { type Api, ApiError } from './api-client';
import { Field } from './field';
import type { Problem, Replay, ReplayPreview, ReplaySource } from './types';

const activeStates: ReadonlyArray<Replay['state']> = ['queued', 'running'];

/** A time as a datetime-local input holds it: local, to the second. */
function localInput(time: number): string {
  const date = new Date(time);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** What the API takes for an input's time; what it cannot read goes as typed, for the API to name. */
function isoOf(input: string): string {
  const time = Date.parse(input);
  return Number.isNaN(time) ? input : new Date(time).toISOString();
}

/** Sent deliveries whose outcome is not in yet: still in flight, or retrying. */
function outstanding({ progress }: Replay): number {
  return Math.max(0, progress.sent - progress.succeeded - progress.failed);
}

function describeState(replay: Replay): string {
  const { progress } = replay;
  const waiting = outstanding(replay);
  const counts = `${progress.matched} to send, ${progress.sent} sent${progress.skipped > 0 ? `, ${progress.skipped} skipped (already sent again)` : ''}; ${progress.succeeded} succeeded, ${progress.failed} failed${waiting > 0 ? `, ${waiting} awaiting their outcome` : ''}`;
  if (replay.state === 'queued') return `Queued: waiting for a free run. ${counts}.`;
  if (replay.state === 'running')
    return `${replay.cancelRequested ? 'Cancelling' : 'Running'}: ${progress.scanned} read, ${counts}.`;
  if (replay.state === 'completed') return `Completed: ${counts}.`;
  if (replay.state === 'cancelled') return `Cancelled: ${counts}.`;
  return `Failed: ${replay.error ?? 'unknown error'}. ${counts}.`;
}

/** A time to the second, in the browser's zone. */
function TimeField({
  id,
  label,
  value,
  problems,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  problems: string[];
  onChange: (value: string) => void;
}) {
  return (
    <Field id={id} label={label} problems={problems}>
      <input
        id={id}
        type="datetime-local"
        step={1}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}

/**
 * Sends a window again: the deliveries that failed finally, or every event still in the log (a backfill).
 * A preview says how many first; a replay's progress shows until it ends, and it may be cancelled.
 */
export function ReplayPanel({
  api,
  webhookId,
  initialFrom,
  onStarted,
}: {
  api: Api;
  webhookId: string;
  /** Where a replay of what a webhook missed while disabled starts. */
  initialFrom?: string;
  onStarted?: () => void;
}) {
  const [from, setFrom] = useState(() =>
    localInput(initialFrom ? Date.parse(initialFrom) : Date.now() - 3_600_000),
  );
  // Until edited, a start handed over is sent as it is: the input shows it to the second only.
  const [exactFrom, setExactFrom] = useState(initialFrom);
  const [to, setTo] = useState(() => localInput(Date.now() + 60_000));
  const [source, setSource] = useState<ReplaySource>(initialFrom ? 'log' : 'failed');
  const [preview, setPreview] = useState<ReplayPreview>();
  const [replay, setReplay] = useState<Replay>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [message, setMessage] = useState<string>();

  useEffect(() => {
    api<{ items: Replay[] }>(`/api/webhooks/${webhookId}/replays`).then(
      (page) => setReplay(page.items[0]),
      () => undefined,
    );
  }, [api, webhookId]);

  // Polled while it runs, and after while what it sent has not all succeeded or finally failed.
  useEffect(() => {
    if (!replay || (!activeStates.includes(replay.state) && outstanding(replay) === 0)) return;
    const timer = setTimeout(
      () => {
        api<Replay>(`/api/webhooks/${webhookId}/replays/${replay.id}`).then(setReplay, () => undefined);
      },
      activeStates.includes(replay.state) ? 1_000 : 5_000,
    );
    return () => clearTimeout(timer);
  }, [api, webhookId, replay]);

  const request = async <T,>(dryRun: boolean): Promise<T | undefined> => {
    setProblems([]);
    setMessage(undefined);
    try {
      return await api<T>(`/api/webhooks/${webhookId}/replay`, {
        method: 'POST',
        body: { from: exactFrom ?? isoOf(from), to: isoOf(to), source, dryRun },
      });
    } catch (error) {
      const besideFields = ['from', 'to', 'source'];
      const { problems: found = [] } = error instanceof ApiError ? error : {};
      if (found.length > 0 && found.every((problem) => besideFields.includes(problem.field)))
        setProblems(found);
      else setMessage((error as Error).message);
      return undefined;
    }
  };

  const runPreview = async () => setPreview(await request<ReplayPreview>(true));
  const start = async (event: FormEvent) => {
    event.preventDefault();
    const started = await request<Replay>(false);
    if (!started) return;
    setPreview(undefined);
    setReplay(started);
    onStarted?.();
  };
  const cancel = async () => {
    if (!replay) return;
    try {
      setReplay(await api<Replay>(`/api/webhooks/${webhookId}/replays/${replay.id}`, { method: 'DELETE' }));
    } catch (error) {
      setMessage((error as Error).message);
    }
  };
  const problemsOf = (field: string) =>
    problems.filter((problem) => problem.field === field).map((problem) => problem.message);
  const active = replay && activeStates.includes(replay.state);

  return (
    <form className="replay" onSubmit={start} aria-label="Replay">
      <h2>Replay</h2>
      <fieldset disabled={active}>
        <TimeField
          id="replay-from"
          label="From"
          value={from}
          problems={problemsOf('from')}
          onChange={(value) => {
            setFrom(value);
            setExactFrom(undefined);
          }}
        />
        <TimeField id="replay-to" label="To" value={to} problems={problemsOf('to')} onChange={setTo} />
        <Field id="replay-source" label="Send again" problems={problemsOf('source')}>
          <select
            id="replay-source"
            value={source}
            onChange={(e) => {
              setSource(e.target.value as ReplaySource);
              setPreview(undefined);
            }}
          >
            <option value="failed">the deliveries that failed finally, as their next attempt</option>
            <option value="log">every matching event still in the log, as a first attempt (backfill)</option>
          </select>
        </Field>
        <div className="buttons">
          <button type="button" onClick={runPreview}>
            Preview
          </button>
          <button type="submit">Start replay</button>
        </div>
      </fieldset>
      {preview && (
        <output className="replay-preview">
          {preview.complete ? '' : 'At least '}
          {preview.count} {preview.count === 1 ? 'delivery' : 'deliveries'} would be sent
          {preview.eventIds.length > 0 ? `; first events: ${preview.eventIds.join(', ')}` : ''}.
        </output>
      )}
      {message && <output className="message">{message}</output>}
      {replay && (
        <p className="replay-progress">
          <output>{describeState(replay)}</output>{' '}
          {active && !replay.cancelRequested && (
            <button type="button" className="danger" onClick={cancel}>
              Cancel replay
            </button>
          )}
        </p>
      )}
    </form>
  );
}
