import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody, wmsEvent } from '../support/events';
import { Mailbox } from '../support/mailbox';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait-for';

const intervalMs = 4_000;

describe('failure emails', () => {
  let pipeline: Pipeline;
  const receiver = new Receiver();
  const mailbox = new Mailbox();

  beforeAll(async () => {
    await Promise.all([receiver.start(), mailbox.start()]);
    pipeline = await startPipeline(
      {
        SMTP_URL: mailbox.url,
        NOTIFY_FROM: 'WMS webhooks <webhooks@wms.example>',
        NOTIFY_INTERVAL_MS: String(intervalMs),
        NOTIFY_FLUSH_EVERY_MS: '200',
        WEBHOOKS_UI_URL: 'http://ui.example:8080',
      },
      { notifier: true },
    );
  });

  afterAll(async () => {
    await pipeline?.stop();
    await Promise.all([receiver.stop(), mailbox.stop()]);
  });

  describe('when deliveries of a webhook fail finally', () => {
    it('emails its address at once, then digests the next failures into one email an interval later', async () => {
      receiver.respondWith('/down', 500);
      const created = await pipeline.api('/api/webhooks', {
        method: 'POST',
        body: webhookBody({
          name: 'Acme picks',
          goodsOwnerIds: [401],
          url: receiver.url('/down'),
          email: 'acme-ops@example.com',
          retryPolicy: 'none',
        }),
      });
      const webhook = (await created.json()) as { id: string };

      const first = wmsEvent({ goodsOwnerId: 401 });
      await pipeline.publish([first]);
      const [email] = await waitFor(() => {
        const mail = mailbox.to('acme-ops@example.com');
        return mail.length > 0 ? mail : undefined;
      });
      expect(email?.from).toBe('webhooks@wms.example');
      expect(email?.subject).toBe('Webhook "Acme picks": a delivery failed (order.picked)');
      expect(email?.text).toContain(`URL:         ${receiver.url('/down')}`);
      expect(email?.text).toContain(`Event:       order.picked ${first.eventId}`);
      expect(email?.text).toContain('Attempts:    1');
      expect(email?.text).toContain('Last error:  HTTP 500');
      expect(email?.text).toContain(`http://ui.example:8080/#/webhooks/${webhook.id}/logs`);

      const later = [wmsEvent({ goodsOwnerId: 401 }), wmsEvent({ goodsOwnerId: 401 })];
      await pipeline.publish(later);
      const digest = await waitFor(() => mailbox.to('acme-ops@example.com')[1], {
        timeoutMs: intervalMs * 4,
      });
      expect(digest.receivedAt - (email?.receivedAt ?? 0)).toBeGreaterThanOrEqual(intervalMs - 250);
      expect(digest.subject).toBe('Webhook "Acme picks": 2 deliveries failed');
      // Events of different entities travel on different partitions, so either may come first.
      expect(digest.text).toMatch(/^Event: {7}order\.picked \S+$/m);
      expect(digest.text).toContain('Also failed since the last email (1):');
      for (const event of later) expect(digest.text).toContain(event.eventId);
      expect(digest.text).not.toContain(first.eventId);
      expect(mailbox.to('acme-ops@example.com')).toHaveLength(2);
    });
  });

  describe('when a webhook that was sent a failure email delivers again', () => {
    it('emails its address once that it has recovered', async () => {
      receiver.respondWith('/flaky', 500);
      const created = await pipeline.api('/api/webhooks', {
        method: 'POST',
        body: webhookBody({
          name: 'Beta picks',
          goodsOwnerIds: [402],
          url: receiver.url('/flaky'),
          email: 'beta-ops@example.com',
          retryPolicy: 'none',
        }),
      });
      const webhook = (await created.json()) as { id: string };
      await pipeline.publish([wmsEvent({ goodsOwnerId: 402 })]);
      await waitFor(() => mailbox.to('beta-ops@example.com')[0], { message: 'the failure email' });

      receiver.respondWith('/flaky', 200);
      await pipeline.publish([wmsEvent({ goodsOwnerId: 402 }), wmsEvent({ goodsOwnerId: 402 })]);
      const recovered = await waitFor(() => mailbox.to('beta-ops@example.com')[1], {
        message: 'the recovery email',
      });
      expect(recovered.subject).toBe('Webhook "Beta picks" delivers again');
      expect(recovered.text).toContain(`URL:         ${receiver.url('/flaky')}`);
      expect(recovered.text).toContain(`http://ui.example:8080/#/webhooks/${webhook.id}/logs`);

      // One recovery email, however many deliveries succeed after it.
      await pipeline.publish([wmsEvent({ goodsOwnerId: 402 })]);
      await waitFor(() => receiver.at('/flaky').length === 4 || undefined);
      await pipeline.publish([wmsEvent({ goodsOwnerId: 401 })]);
      await waitFor(() => mailbox.to('acme-ops@example.com')[2], { timeoutMs: intervalMs * 4 });
      expect(mailbox.to('beta-ops@example.com')).toHaveLength(2);
    });
  });
});
