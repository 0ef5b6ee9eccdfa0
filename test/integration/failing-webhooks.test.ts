import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody, wmsEvent } from '../support/events';
import { Mailbox } from '../support/mailbox';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait-for';

describe('a webhook whose every delivery keeps failing', () => {
  let pipeline: Pipeline;
  const receiver = new Receiver();
  const mailbox = new Mailbox();

  beforeAll(async () => {
    await Promise.all([receiver.start(), mailbox.start()]);
    pipeline = await startPipeline(
      {
        SMTP_URL: mailbox.url,
        NOTIFY_FLUSH_EVERY_MS: '200',
        // 7.2 s: the 72 hours of production, scaled down.
        WEBHOOKS_AUTO_DISABLE_AFTER_HOURS: '0.002',
      },
      { notifier: true },
    );
  });

  afterAll(async () => {
    await pipeline?.stop();
    await Promise.all([receiver.stop(), mailbox.stop()]);
  });

  it('is disabled once that has lasted WEBHOOKS_AUTO_DISABLE_AFTER_HOURS, and its address is told', async () => {
    receiver.respondWith('/broken', 500);
    const created = await pipeline.api('/api/webhooks', {
      method: 'POST',
      body: webhookBody({
        name: 'Gamma picks',
        goodsOwnerIds: [403],
        url: receiver.url('/broken'),
        email: 'gamma-ops@example.com',
        retryPolicy: 'none',
      }),
    });
    const webhook = (await created.json()) as { id: string };
    const firstFailure = Date.now();
    await pipeline.publish([wmsEvent({ goodsOwnerId: 403 })]);

    const disabled = await waitFor(
      async () => {
        // Deliveries keep failing meanwhile, as on a receiver that is down for days.
        await pipeline.publish([wmsEvent({ goodsOwnerId: 403 })]);
        const current = (await (await pipeline.api(`/api/webhooks/${webhook.id}`)).json()) as {
          enabled: boolean;
          disabledReason?: string | null;
        };
        return !current.enabled && current;
      },
      { timeoutMs: 30_000, intervalMs: 1_000, message: 'the webhook disabled' },
    );
    expect(Date.now() - firstFailure).toBeGreaterThanOrEqual(7_200);
    expect(disabled.disabledReason).toBe('every delivery failed for 0.0020 hours');
    const email = await waitFor(() =>
      mailbox
        .to('gamma-ops@example.com')
        .find((mail) => mail.subject === 'Webhook "Gamma picks" was disabled'),
    );
    expect(email.text).toContain('was disabled: every delivery failed for 0.0020 hours.');
    expect(email.text).toContain(`/#/webhooks/${webhook.id}/logs`);
  });

  it('stays enabled while some deliveries still succeed', async () => {
    let answered = 0;
    receiver.respondBy('/flapping', () => (++answered % 3 === 0 ? 200 : 500));
    const created = await pipeline.api('/api/webhooks', {
      method: 'POST',
      body: webhookBody({ goodsOwnerIds: [404], url: receiver.url('/flapping'), retryPolicy: 'none' }),
    });
    const webhook = (await created.json()) as { id: string };
    const started = Date.now();
    await waitFor(
      async () => {
        await pipeline.publish([wmsEvent({ goodsOwnerId: 404 })]);
        return Date.now() - started > 12_000 || undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1_000 },
    );
    expect(answered).toBeGreaterThan(6);
    const current = (await (await pipeline.api(`/api/webhooks/${webhook.id}`)).json()) as {
      enabled: boolean;
    };
    expect(current.enabled).toBe(true);
  });
});
