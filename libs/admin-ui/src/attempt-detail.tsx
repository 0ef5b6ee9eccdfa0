import { useEffect, useState } from 'react';
import type { Api } from './api-client';
import type { AttemptDetail, BodyExcerpt, HeaderLine } from './types';

const phases: Record<string, string> = {
  dns: 'looking up the host name',
  connect: 'connecting',
  tls: 'the TLS handshake',
  timeout: 'waiting for the answer (timeout)',
  network: 'the connection (reset or closed)',
};

/** Failures that never sent a request: their error says why, and there is nothing else to show. */
const notSentKinds = new Set([
  'circuit-open',
  'target-refused',
  'webhook-deleted',
  'webhook-disabled',
  'cannot-decrypt',
]);

function Headers({ lines }: { lines: HeaderLine[] }) {
  return <pre className="headers">{lines.map((line) => `${line.name}: ${line.value}`).join('\n')}</pre>;
}

function Body({ body }: { body: BodyExcerpt }) {
  if (body.bytes === 0) return <p className="body-note">No body.</p>;
  return (
    <>
      <pre className="body">{body.text}</pre>
      <p className="body-note">
        {body.truncated
          ? `The first ${new TextEncoder().encode(body.text).length.toLocaleString()} of ${body.bytes.toLocaleString()}${body.bytes >= 65_536 ? '+' : ''} bytes.`
          : `${body.bytes.toLocaleString()} bytes.`}
      </p>
    </>
  );
}

/** What one attempt sent and got back, read when the operator opens it: the list carries none of it. */
export function AttemptDetailView({
  api,
  webhookId,
  attemptId,
}: {
  api: Api;
  webhookId: string;
  attemptId: string;
}) {
  const [detail, setDetail] = useState<AttemptDetail>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    api<AttemptDetail>(`/api/webhooks/${webhookId}/logs/${attemptId}`).then(setDetail, (error: Error) =>
      setProblem(error.message),
    );
  }, [api, webhookId, attemptId]);

  if (problem) return <p className="message">{problem}</p>;
  if (!detail) return <p>Loading…</p>;
  const { exchange } = detail;
  return (
    <section className="attempt-detail" aria-label={`Attempt ${detail.attempt} of ${detail.deliveryId}`}>
      {!exchange && (
        <p>
          {detail.outcome === 'succeeded'
            ? `Delivered to ${detail.url ?? 'the webhook'}: HTTP ${detail.statusCode}. Requests and answers are kept for failed attempts only.`
            : notSentKinds.has(detail.errorKind ?? '')
              ? `No request left: ${detail.error ?? detail.errorKind}.`
              : `${detail.error ?? 'Failed'}. Its request and answer were not kept: attempts logged before this was added keep none.`}
        </p>
      )}
      {exchange && (
        <div className="exchange">
          <div>
            <h3>Request</h3>
            <p className="request-line">
              {exchange.request.method} {exchange.request.url}
            </p>
            <Headers lines={exchange.request.headers} />
            <Body body={exchange.request.body} />
          </div>
          <div>
            <h3>Response</h3>
            {exchange.response ? (
              <>
                <p className="request-line">HTTP {detail.statusCode}</p>
                <Headers lines={exchange.response.headers} />
                <Body body={exchange.response.body} />
              </>
            ) : (
              <p className="transport-error">
                No answer: failed while {phases[detail.errorKind ?? ''] ?? 'sending'}. {detail.error}
              </p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
