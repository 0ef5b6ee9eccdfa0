import { buildAdminUi } from '@wms-webhooks/admin-ui';
import { deliveryIdFor } from '@wms-webhooks/delivery';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../support/browser';
import { wmsEvent } from '../support/events';
import { type Pipeline, startPipeline, testAdminKey } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait-for';

describe('the admin UI in a real browser', () => {
  let pipeline: Pipeline;
  let browser: Browser;
  let page: Page;
  const receiver = new Receiver();
  let webhookId = '';

  beforeAll(async () => {
    await buildAdminUi();
    await receiver.start();
    pipeline = await startPipeline();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
    await receiver.stop();
  });

  it('asks for an API key, refuses a wrong one, and signs in with the admin key', async () => {
    await page.goto(`${pipeline.apiUrl}/`);
    await page.getByLabel('API key').fill('wmk_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByLabel('API key').isVisible()).toBe(true);
    await page.getByLabel('API key').fill(testAdminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await expect
      .poll(() => page.getByRole('note', { name: 'Quotas' }).textContent())
      .toMatch(/Goods-owner keys may hold 50 webhooks per goods owner.*10 Test, Resend or Replay presses/);
    await screenshot(page, '01-list-empty');
  });

  it('shows a server-side problem next to its field, then creates the webhook and shows its secret once', async () => {
    await page.getByRole('link', { name: 'New webhook' }).click();
    await page.getByLabel('Name').fill('Browser picks');
    await page.getByLabel('Event type').selectOption('order.picked');
    await page.getByLabel('Goods owner').fill('501');
    await page.getByLabel('URL').fill('ftp://not-http.example/hook');
    await page.getByLabel('Email for failures').fill('ops@browser.example');
    await page.getByLabel('Authentication').selectOption('token');
    await page.getByLabel('Token').fill('ui-planted-token');
    await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByLabel('Header 1 name').fill('X-Tenant');
    await page.getByLabel('Header 1 value').fill('browser');
    await page.getByLabel('orderType').fill('B2C');
    await page.getByLabel('Retry policy').selectOption('none');
    await page.getByRole('button', { name: 'Create' }).click();
    const problem = page.locator('.field.invalid', { has: page.getByLabel('URL') }).locator('.problem');
    await expect.poll(() => problem.textContent()).toMatch(/http/);
    await screenshot(page, '02-form-problem');

    await page.getByLabel('URL').fill(receiver.url('/ui'));
    await page.getByRole('button', { name: 'Create' }).click();
    const secret = page.getByRole('region', { name: 'Signing secret' }).locator('code');
    await expect.poll(() => secret.textContent()).toMatch(/^whsec_/);
    webhookId = /#\/webhooks\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    expect(webhookId).not.toBe('');
    await screenshot(page, '03-created-secret');
    await page.getByRole('button', { name: 'I have stored it' }).click();
  });

  it('presses Test and shows what the receiver answered', async () => {
    await page.getByRole('button', { name: 'Test' }).click();
    await expect
      .poll(() => page.locator('output.test-result').textContent())
      .toMatch(/^Test delivered: HTTP 200/);
    expect(receiver.at('/ui')[0]?.headers).toMatchObject({
      'x-tenant': 'browser',
      'x-auth-token': 'ui-planted-token',
    });
    await screenshot(page, '04-test-result');
  });

  it('lists the test in the logs', async () => {
    await page.getByRole('link', { name: 'Logs' }).click();
    const row = page.locator('table.logs tbody tr').first();
    await expect.poll(() => row.textContent()).toContain('(test)');
    expect(await row.textContent()).toContain('succeeded');
    await screenshot(page, '05-logs-test-row');
  });

  it('shows a failed delivery with Resend, and Resend delivers it', async () => {
    receiver.respondWith('/ui', 500, { 'x-request-id': 'erp-42' }, 'stock sync failed: SKU-1 unknown');
    const webhook = (await (await pipeline.api(`/api/webhooks/${webhookId}`)).json()) as { version: number };
    await pipeline.propagated(webhookId, webhook.version);
    await pipeline.publish([
      wmsEvent({ goodsOwnerId: 501, attributes: { orderType: 'B2C', transporterCode: 'DHL' } }),
    ]);
    const resend = page.getByRole('button', { name: 'Resend' });
    await waitFor(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return (await resend.count()) > 0 || undefined;
    });
    await page.getByLabel('Outcome').selectOption('failed');
    await expect.poll(() => page.locator('table.logs tbody tr').first().textContent()).toContain('HTTP 500');
    await screenshot(page, '06-logs-failed-with-resend');

    await page.locator('table.logs tbody tr').first().getByRole('button', { name: 'Details' }).click();
    const detail = page.locator('section.attempt-detail');
    await expect.poll(() => detail.textContent()).toContain('stock sync failed: SKU-1 unknown');
    const shown = (await detail.textContent()) ?? '';
    expect(shown).toContain(`POST ${receiver.url('/ui')}`);
    expect(shown).toContain('X-Auth-Token: ***');
    expect(shown).toContain('X-Tenant: browser');
    expect(shown).toContain('x-request-id: erp-42');
    expect(shown).toContain('"goodsOwnerId":501');
    expect(shown).not.toContain('ui-planted-token');
    await screenshot(page, '06b-logs-failure-details');

    receiver.respondWith('/ui', 200);
    await resend.first().click();
    await expect.poll(() => page.locator('output.message').textContent()).toContain('Resent delivery');
    await page.getByLabel('Outcome').selectOption('succeeded');
    await waitFor(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      const rows = await page.locator('table.logs tbody tr').allTextContents();
      return rows.some((text) => text.includes('order.picked') && !text.includes('(test)')) || undefined;
    });
    const deliveries = receiver.at('/ui').filter((request) => !String(request.body).includes('ORD-TEST'));
    expect(deliveries.map((request) => request.headers['webhook-attempt'])).toEqual(['1', '2']);
    await screenshot(page, '07-logs-after-resend');
  });

  it('shows the webhook in the list with its last outcome and failure rate', async () => {
    await page.getByRole('link', { name: 'Administration ⇒ Webhooks' }).click();
    const row = page.getByRole('row', { name: 'webhook Browser picks' });
    await expect.poll(() => row.textContent()).toContain('succeeded');
    expect(await row.textContent()).toContain('33% of 3');
    await screenshot(page, '08-list-with-activity');
  });

  it('shows a webhook whose receiver answered 410 Gone as disabled, saying why', async () => {
    receiver.respondWith('/ui', 410);
    await pipeline.publish([
      wmsEvent({ goodsOwnerId: 501, attributes: { orderType: 'B2C', transporterCode: 'DHL' } }),
    ]);
    const row = page.getByRole('row', { name: 'webhook Browser picks' });
    // The list loads when shown: leave it for the webhook's logs and come back until the change is there.
    await waitFor(async () => {
      await row.getByRole('link', { name: 'Logs' }).click();
      await page.getByRole('link', { name: 'Administration ⇒ Webhooks' }).click();
      return (await row.textContent())?.includes('no: the receiver answered 410 Gone') || undefined;
    });
    await screenshot(page, '09-list-disabled-by-receiver');
  });

  it('offers to replay what the webhook missed once it is enabled again, and replays it marked as such', async () => {
    receiver.respondWith('/ui', 200);
    const disabled = (await (await pipeline.api(`/api/webhooks/${webhookId}`)).json()) as {
      version: number;
      disabledAt: string | null;
    };
    expect(disabled.disabledAt).not.toBeNull();
    await pipeline.propagated(webhookId, disabled.version);
    // A webhook of the same owner shows when the pipeline has matched the events the disabled one misses.
    const control = await pipeline.createWebhook({ goodsOwnerIds: [501], url: receiver.url('/ui-control') });
    const missed = ['ORD-MISSED-1', 'ORD-MISSED-2'].map((entityId) =>
      wmsEvent({ goodsOwnerId: 501, entityId, attributes: { orderType: 'B2C', transporterCode: 'DHL' } }),
    );
    await pipeline.publish(missed);
    await waitFor(() => receiver.at('/ui-control').length === 2, { message: 'the missed events matched' });
    await pipeline.api(`/api/webhooks/${control.id}`, { method: 'DELETE' });
    const before = receiver.at('/ui').length;

    await page.getByRole('link', { name: 'Browser picks' }).click();
    await page.getByLabel('Enabled').check();
    await page.getByRole('button', { name: 'Save' }).click();
    const offer = page.getByRole('link', { name: 'Replay what it missed' });
    await offer.waitFor();
    await screenshot(page, '10a-enabled-again-offers-replay');
    await offer.click();

    const panel = page.getByRole('form', { name: 'Replay' });
    await expect.poll(() => panel.getByLabel('Send again').inputValue()).toBe('log');
    const to = await panel.getByLabel('To').inputValue();
    await panel.getByLabel('To').fill('2000-01-01T00:00:00');
    await panel.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => panel.locator('.field.invalid', { has: page.getByLabel('To') }).textContent())
      .toContain('must be after `from`');
    await panel.getByLabel('To').fill(to);
    await panel.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => panel.locator('output.replay-preview').textContent())
      .toMatch(/^2 deliveries would be sent/);
    await panel.getByRole('button', { name: 'Start replay' }).click();
    await expect
      .poll(() => panel.locator('.replay-progress output').textContent(), { timeout: 30_000 })
      .toMatch(/^Completed: 2 to send, 2 sent; 2 succeeded, 0 failed/);
    await screenshot(page, '10b-replay-completed');
    const replayed = receiver.at('/ui').slice(before);
    expect(replayed.map((request) => request.headers['webhook-id']).sort()).toEqual(
      missed.map((event) => deliveryIdFor(event.eventId, webhookId)).sort(),
    );
    await waitFor(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      const rows = await page.locator('table.logs tbody tr').allTextContents();
      return rows.filter((text) => text.includes('replay')).length === 2 || undefined;
    });
    // Recovered: enabled again, no reason shown, and its last delivery succeeded.
    await page.getByRole('link', { name: 'Administration ⇒ Webhooks' }).click();
    const row = page.getByRole('row', { name: 'webhook Browser picks' });
    await expect.poll(() => row.locator('td').nth(4).textContent()).toBe('yes');
    await expect.poll(() => row.locator('td').nth(5).textContent()).toBe('succeeded');
    await screenshot(page, '10c-list-recovered');
  });

  it("describes the chosen event type, shows its sample, and saves a status change's filters and the webhook's throughput limits", async () => {
    await page.getByRole('link', { name: 'Administration ⇒ Webhooks' }).click();
    await page.getByRole('link', { name: 'New webhook' }).click();
    await page.getByLabel('Event type').selectOption('order.status_changed');
    await expect.poll(() => page.locator('#eventType-hint').textContent()).toBe("An order's status changed.");
    await page.getByText('Sample payload').click();
    await expect
      .poll(() => page.locator('details.sample-payload pre').textContent())
      .toContain('"toStatus": "400"');
    expect(await page.locator('#filter-toStatus-hint').textContent()).toMatch(/Leave it out to match any/);

    await page.getByLabel('Name').fill('Orders reaching 400');
    await page.getByLabel('Goods owner').fill('502');
    await page.getByLabel('URL').fill(receiver.url('/ui-status'));
    await page.getByLabel('Email for failures').fill('ops@browser.example');
    await page.getByLabel('toStatus').fill('400');
    await page.getByLabel('warehouseId').fill('AMS-1, RTM-2');
    await page.getByLabel('Deliveries at once').fill('3');
    await page.getByLabel('Deliveries per second at most').fill('2.5');
    await screenshot(page, '10-form-status-change');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('button', { name: 'I have stored it' }).click();
    const created = /#\/webhooks\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    const stored = (await (await pipeline.api(`/api/webhooks/${created}`)).json()) as Record<string, unknown>;
    expect(stored).toMatchObject({
      filters: { toStatus: ['400'], warehouseId: ['AMS-1', 'RTM-2'] },
      maxConcurrency: 3,
      maxPerSecond: 2.5,
    });
    await page.reload();
    await expect.poll(() => page.getByLabel('Deliveries per second at most').inputValue()).toBe('2.5');
  });
});
