import type { InvalidWmsEvent } from '@wms-webhooks/contracts';
import type { RunningConsumer } from '@wms-webhooks/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrapeGauge } from '../bench/bench-services';
import { runAvroConsumer } from '../support/avro-consumer';
import { webhookBody, wmsEvent } from '../support/events';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { quietLogger } from '../support/stack';
import { uniqueName } from '../support/unique';
import { waitFor } from '../support/wait-for';

interface LogItem {
  deliveryId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  startedAt: string;
  durationMs: number;
  outcome: string;
  statusCode: number | null;
  error: string | null;
  test: boolean;
  final: boolean;
}

describe('operating webhooks through the API', () => {
  let pipeline: Pipeline;
  const receiver = new Receiver();

  const create = async (overrides: Record<string, unknown>) => {
    const response = await pipeline.api('/api/webhooks', { method: 'POST', body: webhookBody(overrides) });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string } & Record<string, unknown>;
  };
  const logs = async (id: string, query = '') => {
    const response = await pipeline.api(`/api/webhooks/${id}/logs${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as { items: LogItem[]; nextCursor: string | null };
  };

  beforeAll(async () => {
    await receiver.start();
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await receiver.stop();
  });

  describe('when an operator presses Test', () => {
    it('sends the type sample through the sender and logs it as a test', async () => {
      const webhook = await create({
        goodsOwnerIds: [101],
        url: receiver.url('/test-button'),
        eventType: 'inventory.adjusted',
        enabled: false,
      });
      const response = await pipeline.api(`/api/webhooks/${webhook.id}/test`, { method: 'POST' });
      expect(response.status).toBe(202);
      const { deliveryId } = (await response.json()) as { deliveryId: string };

      const request = await waitFor(() => receiver.at('/test-button')[0], { message: 'the test delivery' });
      expect(request.headers['webhook-id']).toBe(deliveryId);
      expect(JSON.parse(request.body)).toMatchObject({
        eventType: 'inventory.adjusted',
        data: { reasonCode: 'cycle_count' },
      });
      const page = await waitFor(async () => (await logs(webhook.id)).items[0], {
        message: 'the test log entry',
      });
      expect(page).toMatchObject({
        deliveryId,
        test: true,
        outcome: 'succeeded',
        statusCode: 200,
        attempt: 1,
        final: true,
      });
    });

    it('answers 404 for an unknown webhook', async () => {
      const response = await pipeline.api('/api/webhooks/00000000-0000-4000-8000-000000000000/test', {
        method: 'POST',
      });
      expect(response.status).toBe(404);
    });
  });

  describe('the logs of a webhook', () => {
    it('list a success and a failure newest first, filter by outcome and page with a cursor', async () => {
      receiver.respondWith('/flaky', 200);
      const webhook = await create({ goodsOwnerIds: [102], url: receiver.url('/flaky') });
      const first = wmsEvent({ goodsOwnerId: 102 });
      await pipeline.publish([first]);
      await waitFor(async () => (await logs(webhook.id)).items.length === 1 || undefined, {
        message: 'the first log',
      });
      receiver.respondWith('/flaky', 500);
      const second = wmsEvent({ goodsOwnerId: 102 });
      await pipeline.publish([second]);
      const all = await waitFor(
        async () => {
          const page = await logs(webhook.id);
          return page.items.length === 2 && page;
        },
        { message: 'both logs' },
      );

      expect(all.items.map((item) => [item.eventId, item.outcome, item.statusCode])).toEqual([
        [second.eventId, 'failed', 500],
        [first.eventId, 'succeeded', 200],
      ]);
      expect(all.items[0]).toMatchObject({
        error: 'HTTP 500 Internal Server Error',
        test: false,
        final: true,
        eventType: 'order.picked',
      });
      expect(Date.parse(all.items[0]!.startedAt)).toBeGreaterThan(0);

      expect((await logs(webhook.id, '?outcome=failed')).items.map((item) => item.eventId)).toEqual([
        second.eventId,
      ]);
      expect((await logs(webhook.id, '?outcome=succeeded')).items.map((item) => item.eventId)).toEqual([
        first.eventId,
      ]);

      const pageOne = await logs(webhook.id, '?limit=1');
      expect(pageOne.items.map((item) => item.eventId)).toEqual([second.eventId]);
      const pageTwo = await logs(webhook.id, `?limit=1&cursor=${pageOne.nextCursor}`);
      expect(pageTwo.items.map((item) => item.eventId)).toEqual([first.eventId]);
      expect(pageTwo.nextCursor).toBeNull();
    });

    it('reject a bad outcome, limit or cursor with 400 naming the parameter', async () => {
      const webhook = await create({ goodsOwnerIds: [103], url: receiver.url('/unused') });
      for (const [query, field] of [
        ['?outcome=maybe', 'outcome'],
        ['?limit=0', 'limit'],
        ['?limit=500', 'limit'],
        ['?cursor=garbage', 'cursor'],
      ] as const) {
        const response = await pipeline.api(`/api/webhooks/${webhook.id}/logs${query}`);
        expect(response.status).toBe(400);
        expect(((await response.json()) as { problems: Array<{ field: string }> }).problems[0]?.field).toBe(
          field,
        );
      }
    });
  });

  describe('when bad records arrive on wms.events', () => {
    let invalidConsumer: RunningConsumer;
    const invalid: InvalidWmsEvent[] = [];

    beforeAll(async () => {
      invalidConsumer = await runAvroConsumer<InvalidWmsEvent>(pipeline.kafka, pipeline.serde, {
        groupId: uniqueName('it-invalid'),
        topic: pipeline.topics.wmsEventsInvalid,
        startAt: 'earliest',
        logger: quietLogger,
        handle: async (value) => {
          invalid.push(value);
        },
      });
    });
    afterAll(() => invalidConsumer?.stop());

    it('files garbage bytes, an unknown schema id and a non-JSON payload with their reasons, and delivers the next good event', async () => {
      await create({ goodsOwnerIds: [104], url: receiver.url('/after-bad') });
      const garbage = Buffer.from('not avro at all');
      const unknownSchema = Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0xff]), Buffer.from('body')]);
      const nonJson = wmsEvent({ goodsOwnerId: 104, payload: '{not json' });
      await pipeline.producer.send(pipeline.topics.wmsEvents, [
        { key: 'bad-1', value: garbage },
        { key: 'bad-2', value: unknownSchema },
      ]);
      const good = wmsEvent({ goodsOwnerId: 104 });
      await pipeline.publish([nonJson, good]);

      await waitFor(() => receiver.at('/after-bad').find((request) => request.body.includes(good.eventId)), {
        message: 'the good event after the bad ones',
      });
      const filed = await waitFor(() => invalid.length >= 3 && invalid, { message: 'three invalid records' });
      const byCode = Object.fromEntries(filed.map((record) => [record.errorCode, record]));
      expect(byCode.undecodable?.originalValue).toEqual(garbage);
      expect(byCode['unknown-schema']?.originalValue).toEqual(unknownSchema);
      expect(byCode['unknown-schema']?.reason).toContain('schema id 2147483647');
      expect(byCode['payload-not-json']).toMatchObject({
        field: 'payload',
        sourceTopic: pipeline.topics.wmsEvents,
      });
      expect(receiver.at('/after-bad').some((request) => request.body.includes(nonJson.eventId))).toBe(false);
    });
  });

  describe('when a webhook is updated', () => {
    it('uses the new URL and token within 5 seconds', async () => {
      const webhook = await create({
        goodsOwnerIds: [105],
        url: receiver.url('/before'),
        auth: { type: 'token', token: 'old' },
      });
      const response = await pipeline.api(`/api/webhooks/${webhook.id}`, {
        method: 'PUT',
        body: webhookBody({
          goodsOwnerIds: [105],
          url: receiver.url('/after'),
          auth: { type: 'token', token: 'new' },
        }),
        awaitPropagation: false,
      });
      expect(response.status).toBe(200);
      const changedAt = Date.now();
      const arrived = await waitFor(
        async () => {
          await pipeline.publish([wmsEvent({ goodsOwnerId: 105 })]);
          return receiver.at('/after')[0];
        },
        { timeoutMs: 5_000, intervalMs: 250, message: 'a delivery to the new URL' },
      );
      expect(arrived.receivedAt - changedAt).toBeLessThan(5_000);
      expect(arrived.headers['x-auth-token']).toBe('new');
    });

    it('keeps a secret the update leaves out, and never shows it', async () => {
      const webhook = await create({
        goodsOwnerIds: [106],
        url: receiver.url('/kept'),
        auth: { type: 'basic', username: 'u', password: 'secret-pw' },
      });
      expect(webhook.auth).toEqual({ type: 'basic', username: 'u', password: '********' });
      const update = await pipeline.api(`/api/webhooks/${webhook.id}`, {
        method: 'PUT',
        body: webhookBody({
          goodsOwnerIds: [106],
          url: receiver.url('/kept'),
          auth: { type: 'basic', username: 'u' },
          name: 'renamed',
        }),
      });
      expect(update.status).toBe(200);
      const shown = await (await pipeline.api(`/api/webhooks/${webhook.id}`)).json();
      expect(shown).toMatchObject({
        name: 'renamed',
        version: 2,
        auth: { type: 'basic', username: 'u', password: '********' },
      });
      expect(JSON.stringify(shown)).not.toContain('secret-pw');
      expect(shown).not.toHaveProperty('signingSecret');
      await pipeline.publish([wmsEvent({ goodsOwnerId: 106 })]);
      const request = await waitFor(() => receiver.at('/kept')[0], { message: 'the delivery' });
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from('u:secret-pw').toString('base64')}`);
    });

    it('stops delivering once deleted, and answers 404 afterwards', async () => {
      const webhook = await create({ goodsOwnerIds: [107], url: receiver.url('/deleted') });
      await create({ goodsOwnerIds: [107], url: receiver.url('/deleted-control') });
      expect((await pipeline.api(`/api/webhooks/${webhook.id}`, { method: 'DELETE' })).status).toBe(204);
      const emitted = () =>
        scrapeGauge(pipeline.opsUrls.matcher as string, 'wms_webhooks_match_deliveries_emitted_total');
      const before = await emitted();
      await pipeline.publish([wmsEvent({ goodsOwnerId: 107 })]);
      // The other webhook of the owner gets the event, so the matcher has planned it: for that one alone.
      await waitFor(() => receiver.at('/deleted-control')[0], { message: 'the control delivery' });
      expect(await emitted()).toBe(before + 1);
      expect(receiver.at('/deleted')).toEqual([]);
      expect((await pipeline.api(`/api/webhooks/${webhook.id}`)).status).toBe(404);
      expect((await pipeline.api(`/api/webhooks/${webhook.id}`, { method: 'DELETE' })).status).toBe(404);
    });
  });

  describe('bad input', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['a malformed URL', { url: 'not a url' }, 'url'],
      ['a URL that is not http(s)', { url: 'ftp://127.0.0.1/hook' }, 'url'],
      ['a header name that is not an HTTP token', { headers: { 'Bad Header': 'x' } }, 'headers.Bad Header'],
      ['a header value with CR/LF', { headers: { 'X-Injected': 'a\r\nX-Evil: 1' } }, 'headers.X-Injected'],
      ['a reserved Host header', { headers: { Host: 'example.com' } }, 'headers.Host'],
      [
        'a reserved Content-Type header',
        { headers: { 'content-type': 'text/plain' } },
        'headers.content-type',
      ],
      ['a reserved Content-Length header', { headers: { 'Content-Length': '1' } }, 'headers.Content-Length'],
      [
        'Authorization while basic auth sets it',
        { auth: { type: 'basic', username: 'u', password: 'p' }, headers: { Authorization: 'Bearer x' } },
        'headers.Authorization',
      ],
      [
        'X-Auth-Token while token auth sets it',
        { auth: { type: 'token', token: 't' }, headers: { 'X-Auth-Token': 'x' } },
        'headers.X-Auth-Token',
      ],
      ['an unknown event type', { eventType: 'order.teleported' }, 'eventType'],
      ['a filter attribute the type does not declare', { filters: { colour: ['red'] } }, 'filters.colour'],
      ['a regular webhook with two owners', { goodsOwnerIds: [1, 2] }, 'goodsOwnerIds'],
      ['a regular webhook with no owner', { goodsOwnerIds: [] }, 'goodsOwnerIds'],
      ['a regular webhook for all owners', { allGoodsOwners: true }, 'allGoodsOwners'],
      ['an automation webhook with no owners', { kind: 'automation', goodsOwnerIds: [] }, 'goodsOwnerIds'],
      ['basic auth without a password', { auth: { type: 'basic', username: 'u' } }, 'auth.password'],
      ['an unknown auth type', { auth: { type: 'oauth' } }, 'auth.type'],
      ['a timeout below 1000 ms', { timeoutMs: 500 }, 'timeoutMs'],
      ['an unknown retry policy', { retryPolicy: 'forever' }, 'retryPolicy'],
      ['a malformed email', { email: 'ops-at-example' }, 'email'],
      ['an unknown setting', { colour: 'red' }, 'colour'],
    ];

    it.each(cases)('answers 400 to %s, naming the field', async (_title, overrides, field) => {
      const response = await pipeline.api('/api/webhooks', { method: 'POST', body: webhookBody(overrides) });
      expect(response.status).toBe(400);
      const body = (await response.json()) as {
        error: string;
        problems: Array<{ field: string; message: string }>;
      };
      expect(body.problems.map((problem) => problem.field)).toContain(field);
      expect(body.problems.every((problem) => problem.message.length > 0)).toBe(true);
    });

    it('answers 400 to a body that is not JSON', async () => {
      const response = await pipeline.api('/api/webhooks', { method: 'POST', body: '{"name": ' });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { problems: Array<{ field: string }> }).problems[0]?.field).toBe(
        '(body)',
      );
    });

    it('allows an Authorization header when auth is none', async () => {
      const response = await pipeline.api('/api/webhooks', {
        method: 'POST',
        body: webhookBody({ url: receiver.url('/own-auth'), headers: { Authorization: 'Bearer own' } }),
      });
      expect(response.status).toBe(201);
    });

    it('answers 400 to an update with bad input and leaves the webhook unchanged', async () => {
      const webhook = await create({ goodsOwnerIds: [111], url: receiver.url('/unchanged') });
      const response = await pipeline.api(`/api/webhooks/${webhook.id}`, {
        method: 'PUT',
        body: webhookBody({ goodsOwnerIds: [111], url: 'javascript:alert(1)' }),
      });
      expect(response.status).toBe(400);
      expect(await (await pipeline.api(`/api/webhooks/${webhook.id}`)).json()).toMatchObject({
        version: 1,
        url: receiver.url('/unchanged'),
      });
    });

    it('answers 404 to an unknown or malformed id', async () => {
      expect((await pipeline.api('/api/webhooks/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await pipeline.api('/api/webhooks/not-an-id')).status).toBe(404);
      expect((await pipeline.api('/api/webhooks/not-an-id/logs')).status).toBe(404);
      const put = await pipeline.api('/api/webhooks/00000000-0000-4000-8000-000000000000', {
        method: 'PUT',
        body: webhookBody(),
      });
      expect(put.status).toBe(404);
    });
  });

  describe('listing', () => {
    it('lists by goods owner: its regular and automation webhooks and those for all owners', async () => {
      const regular = await create({ goodsOwnerIds: [108], url: receiver.url('/l1') });
      const automation = await create({
        kind: 'automation',
        goodsOwnerIds: [108, 109],
        url: receiver.url('/l2'),
      });
      const everyone = await create({
        kind: 'automation',
        goodsOwnerIds: [],
        allGoodsOwners: true,
        url: receiver.url('/l3'),
      });
      await create({ goodsOwnerIds: [110], url: receiver.url('/l4') });
      const response = await pipeline.api('/api/webhooks?goodsOwnerId=108');
      const ids = ((await response.json()) as { items: Array<{ id: string }> }).items.map((item) => item.id);
      expect(ids.sort()).toEqual([regular.id, automation.id, everyone.id].sort());
    });
  });
});
