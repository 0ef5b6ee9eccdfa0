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

export type PublicWebhook = Omit<Webhook, 'auth' | 'signingSecret'> & { auth: PublicAuth };

function maskAuth(auth: WebhookAuth): PublicAuth {
  if (auth.type === 'basic') return { type: 'basic', username: auth.username, password: secretMask };
  if (auth.type === 'token') return { type: 'token', token: secretMask };
  return { type: 'none' };
}

/** What the API shows: the password and token masked, the signing secret left out. */
export function toPublicWebhook(webhook: Webhook): PublicWebhook {
  const { signingSecret: _secret, auth, ...rest } = webhook;
  return { ...rest, auth: maskAuth(auth) };
}
