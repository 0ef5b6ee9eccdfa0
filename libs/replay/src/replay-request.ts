import { z } from 'zod';

export const replaySources = ['failed', 'log'] as const;
export type ReplaySource = (typeof replaySources)[number];

/** The body of `POST /api/webhooks/{id}/replay`; also its OpenAPI schema. */
export const replayRequestInput = z
  .object({
    from: z.iso
      .datetime({ offset: true })
      .describe('Start of the window, ISO 8601 with a time zone, e.g. `2026-12-01T08:00:00Z`.'),
    to: z.iso
      .datetime({ offset: true })
      .describe('End of the window, included; a time still to come is read as now.'),
    source: z
      .enum(replaySources)
      .describe(
        '`failed`: the deliveries whose final attempt failed in the window, sent again as their next attempt. `log`: the events of the window still on `wms.events`, matched against the current definition and sent as first attempts.',
      ),
    dryRun: z
      .boolean()
      .default(false)
      .describe('Only count what would be sent, and name the first events; nothing is sent.'),
  })
  .strict();

export interface ReplayRequest {
  from: Date;
  to: Date;
  source: ReplaySource;
  dryRun: boolean;
}

export interface RequestProblem {
  field: string;
  message: string;
}

/**
 * The request as the runner takes it, or every problem with it: a window that ends before it starts, or
 * starts in the future, names what is wrong rather than replaying nothing.
 */
export function parseReplayRequest(
  body: unknown,
  now: number,
): { ok: true; request: ReplayRequest } | { ok: false; problems: RequestProblem[] } {
  const parsed = replayRequestInput.safeParse(body ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        field:
          issue.code === 'unrecognized_keys'
            ? issue.keys.join(', ')
            : issue.path.map(String).join('.') || '(body)',
        message: issue.code === 'unrecognized_keys' ? 'is not a replay setting' : issue.message,
      })),
    };
  }
  const from = new Date(parsed.data.from);
  const to = new Date(Math.min(Date.parse(parsed.data.to), now));
  const problems: RequestProblem[] = [];
  if (from.getTime() > now) problems.push({ field: 'from', message: 'must not be in the future' });
  else if (from.getTime() >= to.getTime()) problems.push({ field: 'to', message: 'must be after `from`' });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, request: { from, to, source: parsed.data.source, dryRun: parsed.data.dryRun } };
}
