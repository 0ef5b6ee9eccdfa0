import { httpUrl, positiveInt } from '@wms-webhooks/config';
import { opsPort, serviceEnv } from '@wms-webhooks/service-runtime';
import { z } from 'zod';

export const notifierEnv = z.object({
  ...serviceEnv,
  OPS_PORT: opsPort(9104),
  NOTIFIER_GROUP_ID: z
    .string()
    .default('wms-webhooks-notifier')
    .describe("The notifier's consumer group (prefixed too)."),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'must be an smtp:// or smtps:// URL')
    .describe('Where failure emails go out: `smtp://user:pass@host:587` or `smtps://host:465`.'),
  NOTIFY_FROM: z
    .string()
    .default('WMS webhooks <webhooks@localhost>')
    .describe('The sender of failure emails.'),
  NOTIFY_INTERVAL_MS: positiveInt()
    .default(60 * 60 * 1000)
    .describe(
      'At most one email per webhook per this long; failures in between go into the next as a digest.',
    ),
  NOTIFY_FLUSH_EVERY_MS: positiveInt()
    .default(30_000)
    .describe('How often to look for webhooks whose digest is due.'),
  WEBHOOKS_AUTO_DISABLE_AFTER_HOURS: z.coerce
    .number()
    .min(0, 'must be 0 (never) or more')
    .default(72)
    .describe(
      'A webhook whose every delivery has failed this long, counted from its first final failure since it last delivered, is disabled and its address emailed; fractions allowed, `0` never disables.',
    ),
  WEBHOOKS_UI_URL: httpUrl()
    .default('http://127.0.0.1:8080')
    .describe("The admin UI's base URL, for the link to a webhook's logs in emails."),
});
