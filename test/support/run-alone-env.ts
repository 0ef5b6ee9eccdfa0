import { newApiKey } from '@wms-webhooks/access';

/**
 * What a service needs, beyond the stack's variables, to run as its own process: one port for its api
 * or ops server, an admin key (api), a mail server (notifier) and a tier (retrier).
 */
export function runAloneEnv(service: string, port: number, smtpUrl: string): Record<string, string> {
  return {
    OPS_PORT: String(port),
    API_PORT: String(port),
    WEBHOOKS_ADMIN_KEY: newApiKey(),
    SMTP_URL: smtpUrl,
    ...(service === 'retrier' ? { RETRY_TIER: '1m' } : {}),
  };
}
