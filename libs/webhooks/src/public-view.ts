import { randomBytes } from 'node:crypto';
import type { Webhook, WebhookAuth } from './webhook';

export const secretMask = '********';

export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export type PublicAuth =
  | { type: 'none' }
  | { type: 'basic'; username: string; password: typeof secretMask }
  | { type: 'token'; token: typeof secretMask };

export type PublicWebhook = Omit<Webhook, 'auth' | 'signingSecret' | 'previousSigningSecrets'> & {
  auth: PublicAuth;
  /** Until when a rotated-out signing secret still signs beside the current one; null when none does. */
  previousSecretValidUntil: Date | null;
};

function maskAuth(auth: WebhookAuth): PublicAuth {
  if (auth.type === 'basic') return { type: 'basic', username: auth.username, password: secretMask };
  if (auth.type === 'token') return { type: 'token', token: secretMask };
  return { type: 'none' };
}

/** What the API shows: the password and token masked, the signing secrets (current and rotated out) left out. */
export function toPublicWebhook(webhook: Webhook, now = Date.now()): PublicWebhook {
  const { signingSecret: _secret, previousSigningSecrets, auth, ...rest } = webhook;
  const stillSigning = previousSigningSecrets.filter((entry) => entry.expiresAt.getTime() > now);
  const latest = Math.max(...stillSigning.map((entry) => entry.expiresAt.getTime()));
  return {
    ...rest,
    auth: maskAuth(auth),
    previousSecretValidUntil: stillSigning.length > 0 ? new Date(latest) : null,
  };
}
