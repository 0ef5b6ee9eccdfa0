import { positiveInt } from '@wms-webhooks/config';
import { z } from 'zod';

/** How hard replays may push beside live traffic, per API process. */
export const replayEnv = {
  REPLAY_RATE_PER_SECOND: z.coerce
    .number()
    .positive('must be more than 0')
    .max(100_000, 'must be at most 100000')
    .default(100)
    .describe(
      'Deliveries per second all replays of one API process send at most, together, beside live traffic (docs/replay.md).',
    ),
  REPLAY_MAX_RUNNING: positiveInt()
    .default(4)
    .describe(
      'Replays one API process runs at once; more wait, queued, for a free run here or on another API.',
    ),
};
