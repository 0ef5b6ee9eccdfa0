import { webhookSettingsInput } from '@wms-webhooks/webhooks';
import { z } from 'zod';

/**
 * What the routes answer, as the OpenAPI document describes it. Requests are validated in the handlers
 * (so every problem is reported at once, naming its field); these schemas document the answers, and the
 * test that runs docs/api.md checks real answers against them.
 */
const timestamp = z.string().meta({ format: 'date-time' });

export const openApiAnswer = z
  .object({
    openapi: z.literal('3.1.0'),
    info: z.object({ title: z.string(), version: z.string() }).loose(),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  })
  .loose();

export const errorAnswer = z.object({ error: z.string().describe('What went wrong, in a sentence.') });

export const problemsAnswer = z.object({
  error: z.literal('invalid request'),
  problems: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .describe('Every problem at once, each naming its field (`(body)` for the body as a whole).'),
});

const publicAuth = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('basic'), username: z.string(), password: z.literal('********') }),
  z.object({ type: z.literal('token'), token: z.literal('********') }),
]);

export const webhookAnswer = webhookSettingsInput
  .omit({ auth: true })
  .extend({
    id: z.uuid(),
    auth: publicAuth.describe('Secrets are always masked.'),
    version: z.number().int().describe('Increases with every change.'),
    createdAt: timestamp,
    updatedAt: timestamp,
    previousSecretValidUntil: timestamp
      .nullable()
      .describe('Until when a rotated-out signing secret still signs beside the current one.'),
    disabledReason: z
      .string()
      .nullable()
      .optional()
      .describe(
        'Why the system disabled it: its receiver answered 410 Gone, or every delivery failed for days; cleared when saved enabled again.',
      ),
    disabledAt: timestamp
      .nullable()
      .optional()
      .describe(
        'Since when it has been disabled, by the system or an operator; what it missed since can be replayed (`POST …/replay` with `source: "log"`).',
      ),
    unreadableSecrets: z
      .string()
      .optional()
      .describe('Why the stored credentials cannot be opened with the keyring; deliveries are quarantined.'),
  })
  .strip();

export const webhookWithSecretAnswer = webhookAnswer.extend({
  signingSecret: z
    .string()
    .regex(/^whsec_/)
    .describe('The Standard Webhooks signing secret, shown only here: store it now.'),
});

export const activityAnswer = z.object({
  lastOutcome: z.enum(['succeeded', 'failed']).nullable(),
  lastAttemptAt: timestamp.nullable(),
  recentAttempts: z.number().int().describe('Attempts over the last 24 hours.'),
  recentFailures: z.number().int(),
  hourly: z
    .array(z.object({ hour: timestamp, attempts: z.number().int(), failures: z.number().int() }))
    .describe('The last 24 hours, oldest first.'),
});

export const activityHistoryQuery = z.object({
  window: z
    .enum(['24h', '7d', '30d'])
    .default('24h')
    .describe('How far back: 24 hours by the hour, 7 days in 6-hour bars, 30 days by the day.'),
});

export const activityHistoryAnswer = z.object({
  window: z.enum(['24h', '7d', '30d']),
  stepHours: z.number().int().describe('How many hours each point covers.'),
  points: z
    .array(z.object({ start: timestamp, attempts: z.number().int(), failures: z.number().int() }))
    .describe('Oldest first, the current one last; empty before the retention.'),
});

export const webhookListQuery = z.object({
  goodsOwnerId: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe('Only the webhooks that fire for this goods owner.'),
});

export const webhookListAnswer = z.object({
  items: z.array(webhookAnswer.extend({ activity: activityAnswer.optional() })),
});

export const manualDeliveryAnswer = z.object({
  deliveryId: z.string().describe("The delivery's id: the `webhook-id` header the receiver sees."),
  eventId: z.string().optional(),
  attempt: z.number().int().optional(),
});

export const logQuery = z.object({
  outcome: z.enum(['succeeded', 'failed']).optional().describe('Only attempts with this outcome.'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Attempts per page.'),
  cursor: z.string().optional().describe("The previous page's `nextCursor`."),
  deliveryId: z.string().optional().describe("Only this delivery's attempts."),
});

const logItem = z.object({
  id: z.string(),
  deliveryId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  attempt: z.number().int(),
  dueAt: timestamp.nullable(),
  startedAt: timestamp,
  durationMs: z.number(),
  outcome: z.enum(['succeeded', 'failed']),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  errorKind: z
    .string()
    .nullable()
    .describe('`status`, `timeout`, `connect`, `dns`, `tls`, `circuit-open`, …'),
  test: z.boolean(),
  replayId: z
    .string()
    .nullable()
    .describe('The replay that sent it (`POST …/replay`); null for live traffic, Test and Resend.'),
  final: z.boolean().describe('No further attempt will follow.'),
  nextAttemptAt: timestamp.nullable(),
  resendable: z.boolean().describe('A final failure of a real delivery: Resend may send it again.'),
});

export const logPageAnswer = z.object({
  items: z.array(logItem),
  nextCursor: z.string().nullable(),
});

const headerList = z
  .array(z.object({ name: z.string(), value: z.string() }))
  .describe('In the order sent or received; credentials and signatures show as `***`.');
const bodyExcerpt = z.object({
  text: z.string().describe('The first 4 KB of the body, as UTF-8.'),
  bytes: z.number().int().describe("The body's size, as far as it was read (a response up to 64 KB)."),
  truncated: z.boolean().describe('`text` is less than the whole body.'),
});

export const attemptDetailAnswer = logItem.extend({
  url: z.string().nullable().describe('Where the attempt was sent; null if it was not sent.'),
  exchange: z
    .object({
      request: z.object({
        method: z.literal('POST'),
        url: z.string().describe('Query parameters named like credentials show as `***`.'),
        headers: headerList,
        body: bodyExcerpt,
      }),
      response: z
        .object({ headers: headerList, body: bodyExcerpt })
        .nullable()
        .describe(
          'Null when no answer came: `errorKind` names the phase that failed (dns, connect, tls, timeout).',
        ),
    })
    .nullable()
    .describe('Kept for failed attempts that were sent; null for successes and requests that never left.'),
});

export const resendBody = z.object({
  attemptId: z
    .string()
    .regex(/^[0-9a-f]{24}$/)
    .optional()
    .describe('The attempt the Logs listed; without it the log is searched for the delivery.'),
});

export const retentionAnswer = z.object({
  retentionDays: z.number(),
  bytes: z.number().nullable().describe("The whole log's size; admins only, null for others."),
  oldestAt: timestamp.nullable(),
  measuredAt: timestamp.nullable(),
});

export const principalAnswer = z.object({
  keyId: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'goods-owner']),
  goodsOwnerIds: z.array(z.number().int()).optional(),
});

const apiKeyRecord = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'goods-owner']),
  goodsOwnerIds: z.array(z.number().int()),
  hint: z.string().describe('The first characters of the key, to tell keys apart.'),
  createdAt: timestamp,
  revokedAt: timestamp.nullable(),
});

export const apiKeyListAnswer = z.object({ items: z.array(apiKeyRecord) });

export const createdApiKeyAnswer = apiKeyRecord.extend({
  key: z.string().describe('The key itself, shown only here.'),
});

export const quotasAnswer = z.object({
  webhooksPerGoodsOwner: z.number().int(),
  createsPerMinute: z.number().int(),
  testsPerMinute: z.number().int().describe('Test, Resend and Replay presses.'),
  rotationsPerMinute: z.number().int(),
  bindsThisKey: z.boolean().describe('Whether the quotas apply to the calling key (goods-owner keys).'),
  goodsOwners: z.array(z.object({ goodsOwnerId: z.number().int(), webhooks: z.number().int() })),
});

export const catalogueAnswer = z.object({
  version: z.string().describe("The catalogue's contract version: a type added raises the minor."),
  items: z.array(
    z.object({
      eventType: z.string(),
      description: z.string(),
      filters: z
        .array(z.object({ attribute: z.string(), description: z.string() }))
        .describe("What a webhook's `filters` may name, each with what it matches."),
      sample: z
        .object({
          entityId: z.string(),
          attributes: z.record(z.string(), z.string()),
          payload: z.record(z.string(), z.unknown()),
        })
        .describe('The event Test sends; `payload` is what a delivery carries in `data`.'),
      payloadSchema: z
        .record(z.string(), z.unknown())
        .describe("JSON Schema (draft 7) of a delivery's `data`."),
    }),
  ),
});

export const asyncApiAnswer = z
  .object({
    asyncapi: z.literal('3.0.0'),
    info: z.object({ title: z.string(), version: z.string() }).loose(),
  })
  .loose();

export const eventTypesAnswer = z.object({
  items: z.array(
    z.object({
      eventType: z.string(),
      description: z.string(),
      filterableAttributes: z.array(z.string()),
    }),
  ),
});

export const replayPreviewAnswer = z.object({
  dryRun: z.literal(true),
  source: z.enum(['failed', 'log']),
  from: timestamp,
  to: timestamp.describe('The end of the window as read: a time still to come is now.'),
  count: z.number().int().describe('Deliveries the replay would send.'),
  eventIds: z.array(z.string()).describe('The events of the first ten of them.'),
  scanned: z.number().int().describe('Records read to find them: events of the log, or final failures.'),
  complete: z
    .boolean()
    .describe('False when the preview stopped at its 20-second limit: `count` is then a lower bound.'),
});

export const replayAnswer = z.object({
  id: z.uuid(),
  webhookId: z.uuid(),
  source: z.enum(['failed', 'log']),
  from: timestamp,
  to: timestamp,
  state: z
    .enum(['queued', 'running', 'completed', 'cancelled', 'failed'])
    .describe('`completed`: everything was sent; how each delivery ended is in `progress`.'),
  requestedBy: z.string().describe('The name of the API key that asked for it.'),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  error: z.string().nullable().describe('Why it failed or stopped early.'),
  cancelRequested: z.boolean().describe('A cancellation was asked for; the run stops within seconds.'),
  progress: z.object({
    scanned: z.number().int().describe('Records read: events of the log, or final failures.'),
    matched: z.number().int().describe('Deliveries to send among them.'),
    sent: z.number().int().describe('Handed to the sender.'),
    skipped: z.number().int().describe('Not sent: already sent again by a Resend or another replay.'),
    succeeded: z.number().int().describe('Sent and answered 2xx.'),
    failed: z.number().int().describe('Sent and failed, with no attempt left to come.'),
  }),
});

export const replayListAnswer = z.object({ items: z.array(replayAnswer) });
