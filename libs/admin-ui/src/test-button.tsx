import { useState } from 'react';
import type { Api } from './api-client';
import type { LogItem } from './types';

function describe(item: LogItem): string {
  if (item.outcome === 'succeeded') return `Test delivered: HTTP ${item.statusCode} in ${item.durationMs} ms`;
  return `Test failed: ${item.error ?? `HTTP ${item.statusCode}`}`;
}

/** Sends the event type's sample, then waits for its log entry to show what the receiver answered. */
export function TestButton({
  api,
  webhookId,
  onResult,
}: {
  api: Api;
  webhookId: string;
  onResult?: () => void;
}) {
  const [status, setStatus] = useState<string>();
  const run = async () => {
    setStatus('Sending test…');
    try {
      const { deliveryId } = await api<{ deliveryId: string }>(`/api/webhooks/${webhookId}/test`, {
        method: 'POST',
      });
      for (let tries = 0; tries < 120; tries++) {
        const page = await api<{ items: LogItem[] }>(
          `/api/webhooks/${webhookId}/logs?deliveryId=${encodeURIComponent(deliveryId)}&limit=1`,
        );
        const [item] = page.items;
        if (item) {
          setStatus(describe(item));
          onResult?.();
          return;
        }
        await new Promise((tick) => setTimeout(tick, 250));
      }
      setStatus('No result after 30 s: is the sender running?');
    } catch (error) {
      setStatus(`Test not sent: ${(error as Error).message}`);
    }
  };
  return (
    <span className="test">
      <button type="button" onClick={run}>
        Test
      </button>
      {status && <output className="test-result">{status}</output>}
    </span>
  );
}
