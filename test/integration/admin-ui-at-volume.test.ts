import { buildAdminUi } from '@wms-webhooks/admin-ui';
import { type AttemptLog, createAttemptLogWriter, retentionMsOf } from '@wms-webhooks/delivery';
import { MongoClient } from 'mongodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../support/browser';
import { webhookBody } from '../support/events';
import { type Pipeline, startPipeline, testAdminKey } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { sampleAttemptLog } from '../support/sample-values';
import { skewedPick } from '../support/skewed-pick';

/** The bar is a million; UI_VOLUME_ATTEMPTS may lower it for a quick local run. */
const attempts = Number(process.env.UI_VOLUME_ATTEMPTS ?? 1_000_000);
const webhookCount = 50;
const hour = 3_600_000;
/** Reads at volume take longer than expect.poll's default second. */
const settle = { timeout: 60_000 };

describe(`the admin UI with ${attempts} attempts logged`, () => {
  let pipeline: Pipeline;
  let browser: Browser;
  let page: Page;
  let client: MongoClient;
  const receiver = new Receiver();
  const webhookIds: string[] = [];
  /** Attempts and failures written in the last 24 hours, per webhook. */
  const written = new Map<string, { attempts: number; failures: number }>();
  /** The busiest webhook's oldest delivery: the deepest a delivery lookup goes. */
  let oldestOfBusiest: string | undefined;

  beforeAll(async () => {
    await buildAdminUi();
    await receiver.start();
    pipeline = await startPipeline();
    for (let index = 0; index < webhookCount; index++) {
      const response = await pipeline.api('/api/webhooks', {
        method: 'POST',
        body: webhookBody({
          name: `volume ${index}`,
          goodsOwnerIds: [700 + index],
          url: receiver.url('/volume'),
        }),
      });
      webhookIds.push(((await response.json()) as { id: string }).id);
    }
    client = await MongoClient.connect(pipeline.env.MONGODB_URI as string);
    // Written as the sender writes them, over the last 22 hours, so that an hour turning while the test runs
    // leaves them all in the chart's 24 hourly bars; webhook i gets a share ∝ 1/(i+1).
    const writer = createAttemptLogWriter(client.db(pipeline.env.MONGODB_DATABASE), {
      service: 'ui-volume',
      retentionMs: retentionMsOf(30),
      mergeDelayMs: 1_000,
      timedWrite: (_operation, write) => write(),
      onFlushError: () => undefined,
    });
    const pickWebhook = skewedPick(webhookIds);
    const start = Date.now() - 22 * hour;
    for (let done = 0; done < attempts; done += 2_000) {
      const startedAt = new Date(start + Math.floor((done / attempts) * 22 * hour));
      const batch: AttemptLog[] = [];
      for (let offset = 0; offset < Math.min(2_000, attempts - done); offset++) {
        const webhookId = pickWebhook();
        const failed = (done + offset) % 20 === 0;
        const attempt = sampleAttemptLog({
          webhookId,
          startedAt,
          ...(failed
            ? {
                outcome: 'failed',
                statusCode: 503,
                errorKind: 'status',
                error: 'HTTP 503',
                final: true,
                event: { occurredAt: startedAt, warehouseId: null, entityId: 'ORD-1', payload: '{}' },
              }
            : {}),
        });
        batch.push(attempt);
        if (webhookId === webhookIds[0]) oldestOfBusiest ??= attempt.deliveryId;
        const counts = written.get(webhookId) ?? { attempts: 0, failures: 0 };
        counts.attempts += 1;
        if (failed) counts.failures += 1;
        written.set(webhookId, counts);
      }
      await writer.writeLogs(batch);
    }
    await writer.stop();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(30_000);
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await client?.close();
    await pipeline?.stop();
    await receiver.stop();
  });

  it('lists every webhook with its last 24 hours drawn from the writers’ counts', async () => {
    await page.goto(`${pipeline.apiUrl}/`);
    await page.getByLabel('API key').fill(testAdminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    const busiest = written.get(webhookIds[0] as string);
    const row = page.getByRole('row', { name: 'webhook volume 0', exact: true });
    await expect
      .poll(() => row.getByRole('img').getAttribute('aria-label'), settle)
      .toBe(`Last 24 hours: ${busiest?.attempts} attempts, ${busiest?.failures} failed`);
    expect(await page.getByRole('img', { name: /^Last 24 hours/ }).count()).toBe(webhookCount);
    await screenshot(page, 'volume-01-list');
  });

  it('opens the busiest webhook’s Logs newest first, with its chart and the retention', async () => {
    await page
      .getByRole('row', { name: 'webhook volume 0', exact: true })
      .getByRole('link', { name: 'Logs' })
      .click();
    await page.getByRole('heading', { name: 'Logs · volume 0' }).waitFor();
    await expect.poll(() => page.locator('table.logs tbody tr').count(), settle).toBe(25);
    await page.getByText(/^Attempts are kept 30 days; the log held [\d.]+ MB at /).waitFor();
    expect(await page.getByRole('img', { name: /^Last 24 hours/ }).getAttribute('aria-label')).toMatch(
      new RegExp(`^Last 24 hours: ${written.get(webhookIds[0] as string)?.attempts} attempts`),
    );
    await screenshot(page, 'volume-02-logs');
  });

  it('draws the busiest webhook’s chart over 7 and 30 days from the counts, not the log', async () => {
    const busiest = written.get(webhookIds[0] as string);
    for (const [choice, period] of [
      ['last 7 days', 'Last 7 days'],
      ['last 30 days', 'Last 30 days'],
    ] as const) {
      await page.getByLabel(/^Attempts per/).selectOption({ label: choice });
      await expect
        .poll(
          () => page.getByRole('img', { name: new RegExp(`^${period}`) }).getAttribute('aria-label'),
          settle,
        )
        .toBe(`${period}: ${busiest?.attempts} attempts, ${busiest?.failures} failed`);
    }
    expect(await page.getByText(/^Attempts per day/).count()).toBeGreaterThan(0);
    await screenshot(page, 'volume-02b-logs-30-days');
    await page.getByLabel(/^Attempts per/).selectOption({ label: 'last 24 hours' });
  });

  it('pages deep into the log, past the newest rows', async () => {
    const firstRow = () => page.locator('table.logs tbody tr').first().textContent();
    const seen = new Set<string | null>([await firstRow()]);
    for (let next = 0; next < 12; next++) {
      await page.getByRole('button', { name: 'Older →' }).click();
      await expect.poll(async () => !seen.has(await firstRow()), settle).toBe(true);
      seen.add(await firstRow());
      expect(await page.locator('table.logs tbody tr').count()).toBe(25);
    }
    await screenshot(page, 'volume-03-logs-page-13');
  });

  it('finds the busiest webhook’s oldest delivery by its id, then lists every delivery again', async () => {
    const delivery = oldestOfBusiest as string;
    await page.getByLabel('Delivery').fill(delivery);
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => page.locator('table.logs tbody tr').count(), settle).toBe(1);
    expect(await page.locator('table.logs tbody tr td').nth(1).getAttribute('title')).toBe(delivery);
    await screenshot(page, 'volume-03b-one-delivery');
    await page.getByRole('button', { name: 'All deliveries' }).click();
    await expect.poll(() => page.locator('table.logs tbody tr').count(), settle).toBe(25);
  });

  it('filters to failures and resends one', async () => {
    await page.getByLabel('Outcome').selectOption('failed');
    await expect.poll(() => page.locator('table.logs tbody tr.failed').count(), settle).toBe(25);
    await page.getByRole('button', { name: 'Resend' }).first().click();
    await expect
      .poll(() => page.locator('output.message').textContent(), settle)
      .toMatch(/^Resent delivery /);
    await expect.poll(() => receiver.at('/volume').length, settle).toBe(1);
    await screenshot(page, 'volume-04-failures-resent');
  });
});
