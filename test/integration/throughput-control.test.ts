import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wmsEvent } from '../support/events';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { waitFor } from '../support/wait-for';

interface Arrival {
  path: string;
  eventId: string;
  at: number;
}

/**
 * A receiver on 127.0.0.1 that answers each request after `delayMs` (per path), counts how many are open
 * at once per path, and answers the first request of a path with a scripted status and headers if set.
 */
class PacedReceiver {
  readonly arrivals: Arrival[] = [];
  private readonly open = new Map<string, number>();
  readonly mostOpen = new Map<string, number>();
  private readonly delays = new Map<string, number>();
  private readonly first = new Map<string, { status: number; headers: Record<string, string> }>();
  private server?: Server;
  private base = '';

  async start() {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const { eventId } = JSON.parse(Buffer.concat(chunks).toString()) as { eventId: string };
        this.arrivals.push({ path, eventId, at: Date.now() });
        const open = (this.open.get(path) ?? 0) + 1;
        this.open.set(path, open);
        this.mostOpen.set(path, Math.max(this.mostOpen.get(path) ?? 0, open));
        const scripted = this.first.get(path);
        this.first.delete(path);
        setTimeout(() => {
          this.open.set(path, (this.open.get(path) ?? 1) - 1);
          response.writeHead(scripted?.status ?? 200, scripted?.headers).end();
        }, this.delays.get(path) ?? 0);
      });
    });
    this.server = server;
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  url(path: string, delayMs = 0) {
    this.delays.set(path, delayMs);
    return `${this.base}${path}`;
  }

  answerFirst(path: string, status: number, headers: Record<string, string>) {
    this.first.set(path, { status, headers });
  }

  at(path: string) {
    return this.arrivals.filter((arrival) => arrival.path === path);
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise((closed) => this.server?.close(closed));
  }
}

describe('per-webhook throughput control', () => {
  let pipeline: Pipeline;
  const receiver = new PacedReceiver();

  beforeAll(async () => {
    await receiver.start();
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await receiver.stop();
  });

  const create = (overrides: Record<string, unknown>) => pipeline.createWebhook(overrides);
  /** Events about one entity: one key on wms.events, so they reach the matcher in this order. */
  const events = (goodsOwnerId: number, entityId: string, count: number) =>
    Array.from({ length: count }, () => wmsEvent({ goodsOwnerId, entityId }));
  const eventIds = (path: string) => receiver.at(path).map((arrival) => arrival.eventId);
  const delivered = (path: string, count: number) =>
    waitFor(() => (receiver.at(path).length >= count ? true : undefined), {
      timeoutMs: 30_000,
      message: `${count} deliveries to ${path}`,
    });

  describe('when one webhook allows 4 deliveries at once and another the default', () => {
    it('has up to 4 of the first in flight together, and never 2 of the second', async () => {
      await create({ goodsOwnerIds: [901], url: receiver.url('/wide', 300), maxConcurrency: 4 });
      await create({ goodsOwnerIds: [902], url: receiver.url('/narrow', 100) });
      const narrow = events(902, 'N', 6);
      await pipeline.publish([...events(901, 'W', 16), ...narrow]);
      await delivered('/wide', 16);
      await delivered('/narrow', 6);
      expect(receiver.mostOpen.get('/wide')).toBeGreaterThan(1);
      expect(receiver.mostOpen.get('/wide')).toBeLessThanOrEqual(4);
      expect(receiver.mostOpen.get('/narrow')).toBe(1);
      // One at a time keeps the order events happened in.
      expect(eventIds('/narrow')).toEqual(narrow.map((event) => event.eventId));
    });
  });

  describe('when a webhook allows 5 deliveries per second', () => {
    it('starts them at least 200 ms apart, in order', async () => {
      await create({ goodsOwnerIds: [903], url: receiver.url('/limited'), maxPerSecond: 5 });
      const limited = events(903, 'L', 8);
      await pipeline.publish(limited);
      await delivered('/limited', 8);
      const times = receiver.at('/limited').map((arrival) => arrival.at);
      const gaps = times.slice(1).map((time, index) => time - (times[index] as number));
      // Pacing only ever adds time; a little is lost between the pacer's clock and the receiver's.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(190);
      expect(eventIds('/limited')).toEqual(limited.map((event) => event.eventId));
    });
  });

  describe('when the receiver answers 429 with Retry-After: 2', () => {
    it("holds the webhook's new deliveries for 2 s while another webhook's go on", async () => {
      receiver.answerFirst('/busy', 429, { 'retry-after': '2' });
      await create({ goodsOwnerIds: [904], url: receiver.url('/busy'), retryPolicy: 'one-day' });
      await create({ goodsOwnerIds: [905], url: receiver.url('/calm') });
      await pipeline.publish(events(904, 'B', 1));
      await delivered('/busy', 1);
      const refusedAt = receiver.at('/busy')[0]?.at as number;

      await pipeline.publish([...events(904, 'B2', 3), ...events(905, 'C', 3)]);
      await delivered('/calm', 3);
      await delivered('/busy', 4);
      const resumed = receiver.at('/busy').slice(1);
      expect(Math.min(...resumed.map((arrival) => arrival.at)) - refusedAt).toBeGreaterThanOrEqual(1_900);
      const calmDone = Math.max(...receiver.at('/calm').map((arrival) => arrival.at));
      expect(calmDone).toBeLessThan(Math.min(...resumed.map((arrival) => arrival.at)));
      const metrics = await (await fetch(`${pipeline.senderOpsUrl}/metrics`)).text();
      expect(metrics).toMatch(/wms_webhooks_delivery_paced_seconds_total\{reason="retry-after"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/wms_webhooks_webhooks_slowed\{[^}]*\} 1/);
    });
  });
});
