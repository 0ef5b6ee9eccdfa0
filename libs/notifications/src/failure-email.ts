import type { FailureNotice } from './failure-notice';

export interface WebhookContact {
  id: string;
  name: string;
  url: string;
  email: string;
}

export interface FailureEmail {
  to: string;
  subject: string;
  text: string;
}

const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');

/** Names the webhook the way every email does. */
const aboutWebhook = (webhook: WebhookContact) => [
  `Webhook:     ${webhook.name} (${webhook.id})`,
  `URL:         ${webhook.url}`,
];

const emailTo = (webhook: WebhookContact, subject: string, lines: string[]): FailureEmail => ({
  to: webhook.email,
  subject,
  text: `${lines.join('\n')}\n`,
});

function describeInFull(notice: FailureNotice): string[] {
  return [
    `Event:       ${notice.eventType} ${notice.eventId}`,
    `             goods owner ${notice.goodsOwnerId}, ${notice.entityId}, occurred ${iso(notice.occurredAt)}`,
    `Attempts:    ${notice.attempts.length}`,
    ...notice.attempts.map(
      (attempt) => `  #${String(attempt.attempt).padEnd(3)} ${iso(attempt.startedAt)}  ${attempt.error}`,
    ),
    `Last error:  ${notice.lastError}`,
    `Stopped:     ${notice.reason}`,
    `Delivery id: ${notice.deliveryId}`,
  ];
}

/**
 * The email for one webhook: the oldest pending failure in full, the others one line each (the digest of
 * what failed since the last email), and where to read the logs and resend.
 */
export function composeFailureEmail(
  webhook: WebhookContact,
  notices: readonly FailureNotice[],
  options: { logsUrl: string; omitted?: number },
): FailureEmail {
  const [first, ...rest] = notices;
  if (!first) throw new Error('a failure email needs at least one failed delivery');
  const total = notices.length + (options.omitted ?? 0);
  const subject =
    total === 1
      ? `Webhook "${webhook.name}": a delivery failed (${first.eventType})`
      : `Webhook "${webhook.name}": ${total} deliveries failed`;
  const lines = [
    total === 1
      ? `Webhook "${webhook.name}" could not deliver an event, and will not try again.`
      : `Webhook "${webhook.name}" could not deliver ${total} events, and will not try them again.`,
    '',
    ...aboutWebhook(webhook),
    '',
    ...describeInFull(first),
  ];
  if (rest.length > 0 || options.omitted) {
    lines.push('', `Also failed since the last email (${rest.length + (options.omitted ?? 0)}):`);
    for (const notice of rest) {
      lines.push(
        `  ${iso(notice.attempts[notice.attempts.length - 1]?.startedAt ?? notice.occurredAt)}  ${notice.eventType} ${notice.eventId}  ${notice.attempts.length} attempt(s)  ${notice.lastError}`,
      );
    }
    if (options.omitted) lines.push(`  … and ${options.omitted} more, listed in the logs.`);
  }
  lines.push(
    '',
    `Logs (and Resend): ${options.logsUrl}`,
    '',
    'You receive at most one of these emails per webhook per hour; failures in between are listed in the next.',
  );
  return emailTo(webhook, subject, lines);
}

/** The one email after failure emails once the webhook delivers again. */
export function composeRecoveryEmail(
  webhook: WebhookContact,
  deliveredAt: Date,
  options: { logsUrl: string },
): FailureEmail {
  return emailTo(webhook, `Webhook "${webhook.name}" delivers again`, [
    `Webhook "${webhook.name}" delivers again: its last attempt, at ${iso(deliveredAt)}, succeeded.`,
    '',
    ...aboutWebhook(webhook),
    '',
    `Deliveries that failed finally before are not sent again by themselves; Resend them from the logs: ${options.logsUrl}`,
  ]);
}

/** The email that says the system disabled a webhook, and why. */
export function composeDisabledEmail(
  webhook: WebhookContact,
  reason: string,
  options: { logsUrl: string },
): FailureEmail {
  return emailTo(webhook, `Webhook "${webhook.name}" was disabled`, [
    `Webhook "${webhook.name}" was disabled: ${reason}.`,
    '',
    ...aboutWebhook(webhook),
    '',
    'Nothing more is sent to it. Once the receiver works again, enable the webhook and Resend what failed:',
    options.logsUrl,
  ]);
}
