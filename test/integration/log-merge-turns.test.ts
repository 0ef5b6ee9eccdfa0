import { AttemptLogRepository } from '@wms-webhooks/delivery';
import { describe, expect, it } from 'vitest';
import { attemptsOf, day, logBeforeAll, newestFirst, now, pageThrough, writer } from '../support/log-writing';
import { monitoredStore } from '../support/monitored-store';

describe('when a flush merges the newest rows of many webhooks', () => {
  const store = monitoredStore('it_merge_turns');
  const sender = writer(store.database, 'sender');
  const logs = new AttemptLogRepository(store.database, { retentionMs: 30 * day, now: () => now });
  const webhooks = Array.from({ length: 40 }, (_, index) => `wh-turn-${index}`);
  const attempts = webhooks.flatMap((webhookId) => attemptsOf(webhookId, 3));

  logBeforeAll(store, sender, attempts);

  it('inserts them one webhook at a time, so the log’s writes do not queue behind a burst of them', () => {
    expect(store.mostAtOnce('insert', 'webhook_recent.')).toBe(1);
  });

  it('merges every one of them', async () => {
    for (const webhookId of webhooks) {
      const own = attempts.filter((attempt) => attempt.webhookId === webhookId);
      expect(await pageThrough(logs, webhookId)).toEqual(newestFirst(own));
    }
  });
});
