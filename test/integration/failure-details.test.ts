import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wmsEvent } from '../support/events';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait-for';

interface Item {
  id: string;
  outcome: string;
  errorKind: string | null;
}
interface Header {
  name: string;
  value: string;
}
interface Detail extends Item {
  url: string | null;
  exchange: {
    request: { method: string; url: string; headers: Header[]; body: { text: string; bytes: number } };
    response: { headers: Header[]; body: { text: string; bytes: number; truncated: boolean } } | null;
  } | null;
}

/** A loopback port with nothing listening on it: connecting is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

describe("an attempt's detail in the Logs", () => {
  let pipeline: Pipeline;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await receiver.stop();
  });

  const create = async (overrides: Record<string, unknown>) => (await pipeline.createWebhook(overrides)).id;
  const onlyAttempt = (webhookId: string) =>
    waitFor(
      async () => {
        const page = (await (await pipeline.api(`/api/webhooks/${webhookId}/logs`)).json()) as {
          items: Item[];
        };
        return page.items[0];
      },
      { message: 'the attempt logged' },
    );
  const detail = async (webhookId: string, attemptId: string) => {
    const response = await pipeline.api(`/api/webhooks/${webhookId}/logs/${attemptId}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Detail;
  };

  describe('when the endpoint answers 500 with an explanation', () => {
    it('shows the request with its credentials masked, and the answer', async () => {
      const path = '/explains?site=AMS&token=q-secret';
      receiver.respondWith(path, 500, { 'x-request-id': 'req-77' }, 'order ORD-1 is unknown in the ERP');
      const webhookId = await create({
        goodsOwnerIds: [701],
        url: receiver.url(path),
        auth: { type: 'token', token: 'tok-secret-1' },
        headers: { 'X-Warehouse': 'AMS-1' },
      });
      const event = wmsEvent({ goodsOwnerId: 701, entityId: 'ORD-1' });
      await pipeline.publish([event]);

      const item = await onlyAttempt(webhookId);
      const shown = await detail(webhookId, item.id);
      expect(shown).toMatchObject({ id: item.id, outcome: 'failed', statusCode: 500, errorKind: 'status' });
      const request = shown.exchange?.request;
      expect(request?.url).toBe(`${receiver.url('/explains')}?site=AMS&token=***`);
      expect(request?.headers).toEqual(
        expect.arrayContaining([
          { name: 'X-Warehouse', value: 'AMS-1' },
          { name: 'X-Auth-Token', value: '***' },
          { name: 'webhook-signature', value: 'v1,***' },
          { name: 'webhook-attempt', value: '1' },
        ]),
      );
      const sent = receiver.at(path)[0];
      expect(request?.body.text).toBe(sent?.body);
      expect(JSON.stringify(shown)).not.toContain('tok-secret-1');
      expect(JSON.stringify(shown)).not.toContain('q-secret');
      expect(shown.exchange?.response?.body).toEqual({
        text: 'order ORD-1 is unknown in the ERP',
        bytes: 33,
        truncated: false,
      });
      expect(shown.exchange?.response?.headers).toContainEqual({ name: 'x-request-id', value: 'req-77' });
    });
  });

  describe('when nothing listens at the endpoint', () => {
    it('shows the request and no answer, with the phase that failed', async () => {
      const webhookId = await create({
        goodsOwnerIds: [702],
        url: `http://127.0.0.1:${await closedPort()}/gone`,
      });
      await pipeline.publish([wmsEvent({ goodsOwnerId: 702, entityId: 'ORD-2' })]);

      const item = await onlyAttempt(webhookId);
      const shown = await detail(webhookId, item.id);
      expect(shown).toMatchObject({ errorKind: 'connect', statusCode: null });
      expect(shown.exchange?.request.method).toBe('POST');
      expect(shown.exchange?.response).toBeNull();
    });
  });

  describe('when the attempt succeeded', () => {
    it('keeps no exchange', async () => {
      const webhookId = await create({ goodsOwnerIds: [703], url: receiver.url('/fine') });
      await pipeline.publish([wmsEvent({ goodsOwnerId: 703, entityId: 'ORD-3' })]);
      const item = await onlyAttempt(webhookId);
      expect(await detail(webhookId, item.id)).toMatchObject({ outcome: 'succeeded', exchange: null });
    });
  });

  describe('when the attempt is not one of this webhook', () => {
    it('answers 404, and 400 for an id the logs never listed', async () => {
      const webhookId = await create({ goodsOwnerIds: [704], url: receiver.url('/fine') });
      const other = await create({ goodsOwnerIds: [705], url: receiver.url('/fine') });
      await pipeline.publish([wmsEvent({ goodsOwnerId: 705, entityId: 'ORD-5' })]);
      const item = await onlyAttempt(other);
      expect((await pipeline.api(`/api/webhooks/${webhookId}/logs/${item.id}`)).status).toBe(404);
      expect((await pipeline.api(`/api/webhooks/${webhookId}/logs/not-an-id`)).status).toBe(400);
    });
  });
});
