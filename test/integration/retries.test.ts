import type { DeliveryTask } from '@wms-webhooks/contracts';
import type { RunningConsumer } from '@wms-webhooks/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAvroConsumer } from '../support/avro-consumer';
import { webhookBody, wmsEvent } from '../support/events';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { quietLogger } from '../support/stack';
import { uniqueName } from '../support/unique';
import { waitFor } from '../support/wait-for';

/** 0.001: retries after 60 ms, 300 ms, 900 ms, 1.8 s, then every 7.2 s; a day is 86.4 s. */
const timeScale = 0.001;

interface LogItem {
  attempt: number;
  dueAt: string | null;
  nextAttemptAt: string | null;
  startedAt: string;
  outcome: string;
  statusCode: number | null;
  error: string | null;
  errorKind: string | null;
  final: boolean;
}

describe('retries on the tiered retry topics', () => {
  let pipeline: Pipeline;
  let deadConsumer: RunningConsumer;
  const receiver = new Receiver();
  const dead: DeliveryTask[] = [];

  const create = async (overrides: Record<string, unknown>) => {
    const response = await pipeline.api('/api/webhooks', {
      method: 'POST',
      body: webhookBody({ retryPolicy: 'one-day', ...overrides }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string };
  };
  const logsOf = async (id: string) =>
    (
      (await (await pipeline.api(`/api/webhooks/${id}/logs?limit=200`)).json()) as { items: LogItem[] }
    ).items.reverse();
  /**
   * The Logs once the entry that ends the schedule is in and every attempt before it too: each retry tier
   * is its own writer and merges its entries into the first page on its own second, so one that just wrote
   * can show up before an earlier tier's.
   */
  const settledLogs = (id: string, ends: (entry: LogItem) => boolean, message: string) =>
    waitFor(
      async () => {
        const items = await logsOf(id);
        const last = items.at(-1);
        return last && ends(last) && items.every((item, index) => item.attempt === index + 1) && items;
      },
      { message },
    );
  const attemptsAt = (path: string) =>
    receiver.at(path).map((request) => Number(request.headers['webhook-attempt']));

  beforeAll(async () => {
    await receiver.start();
    pipeline = await startPipeline({ WEBHOOKS_TIME_SCALE: String(timeScale) }, { retriers: true });
    deadConsumer = await runAvroConsumer<DeliveryTask>(pipeline.kafka, pipeline.serde, {
      groupId: uniqueName('it-dead'),
      topic: pipeline.topics.dead,
      startAt: 'earliest',
      logger: quietLogger,
      handle: async (task) => {
        dead.push(task);
      },
    });
  });

  afterAll(async () => {
    await deadConsumer?.stop();
    await pipeline?.stop();
    await receiver.stop();
  });

  describe('when the endpoint keeps returning 500 under the one-day policy', () => {
    it.concurrent('makes 16 attempts spaced 1:5:15:30 then every 2 h, stops within the day and files a dead letter', async () => {
      receiver.respondWith('/always-500', 500);
      const webhook = await create({ goodsOwnerIds: [301], url: receiver.url('/always-500') });
      const event = wmsEvent({ goodsOwnerId: 301 });
      await pipeline.publish([event]);

      const letter = await waitFor(() => dead.find((task) => task.eventId === event.eventId), {
        timeoutMs: 120_000,
        intervalMs: 200,
        message: 'the dead letter',
      });
      const requests = receiver.at('/always-500');
      expect(requests.map((request) => Number(request.headers['webhook-attempt']))).toEqual(
        Array.from({ length: 16 }, (_, index) => index + 1),
      );
      expect(new Set(requests.map((request) => request.headers['webhook-id'])).size).toBe(1);

      const scaled = (minutes: number) => minutes * 60_000 * timeScale;
      const expectedGaps = [1, 5, 15, 30, ...Array(11).fill(120)].map(scaled);
      const gaps = requests
        .slice(1)
        .map((request, index) => request.receivedAt - requests[index]!.receivedAt);
      gaps.forEach((gap, index) => {
        expect(gap).toBeGreaterThanOrEqual(expectedGaps[index]! - 5);
        expect(gap).toBeLessThan(expectedGaps[index]! + 1_000);
      });
      expect(requests.at(-1)!.receivedAt - requests[0]!.receivedAt).toBeLessThanOrEqual(
        24 * 60 * 60_000 * timeScale,
      );

      expect(letter.history).toHaveLength(16);
      expect(letter.finalReason).toContain('24 h window');
      expect(letter.finalReason).toContain('HTTP 500');
      expect(letter.origin).toBe('retrier-2h');

      const logs = await waitFor(
        async () => {
          const items = await logsOf(webhook.id);
          return items.length === 16 && items;
        },
        { message: '16 log entries' },
      );
      expect(logs.map((log) => log.final)).toEqual([...Array(15).fill(false), true]);
    }, 150_000);
  });

  it.concurrent('runs every retry after its due time and within 1 s of it', async () => {
    receiver.respondWith('/timing', 503);
    const webhook = await create({ goodsOwnerIds: [302], url: receiver.url('/timing') });
    await pipeline.publish([wmsEvent({ goodsOwnerId: 302 })]);
    // Every attempt records when it was due; lateness is read from its log.
    const retried = await waitFor(
      async () => {
        const found = (await logsOf(webhook.id)).filter((log) => log.attempt > 1);
        return found.length >= 4 && found;
      },
      { timeoutMs: 20_000, message: 'four retries' },
    );
    for (const attempt of retried) {
      const lateMs = Date.parse(attempt.startedAt) - Date.parse(attempt.dueAt as string);
      expect(lateMs).toBeGreaterThanOrEqual(0);
      expect(lateMs).toBeLessThan(1_000);
    }
  });

  it.concurrent('makes one attempt under the none policy and files it as dead at once', async () => {
    receiver.respondWith('/none', 500);
    await create({ goodsOwnerIds: [303], url: receiver.url('/none'), retryPolicy: 'none' });
    const event = wmsEvent({ goodsOwnerId: 303 });
    await pipeline.publish([event]);
    const letter = await waitFor(() => dead.find((task) => task.eventId === event.eventId), {
      message: 'the dead letter',
    });
    expect(letter.finalReason).toBe('the retry policy is none; last error: HTTP 500 Internal Server Error');
    expect(letter.history).toHaveLength(1);
    expect(attemptsAt('/none')).toEqual([1]);
  });

  it.concurrent('stops retrying once the 3rd attempt succeeds', async () => {
    receiver.respondInTurn('/third-time', [500, 500, 200]);
    const webhook = await create({ goodsOwnerIds: [304], url: receiver.url('/third-time') });
    await pipeline.publish([wmsEvent({ goodsOwnerId: 304 })]);
    const logs = await settledLogs(
      webhook.id,
      (entry) => entry.outcome === 'succeeded',
      'the successful 3rd attempt after the two before it',
    );
    expect(logs.map((log) => [log.attempt, log.outcome, log.final])).toEqual([
      [1, 'failed', false],
      [2, 'failed', false],
      [3, 'succeeded', true],
    ]);
    // The 4th attempt would be due 1.8 s after the 3rd; wait past it and see nothing more.
    await waitFor(() => Date.now() - receiver.at('/third-time')[2]!.receivedAt > 2_500 || undefined, {
      timeoutMs: 5_000,
    });
    expect(attemptsAt('/third-time')).toEqual([1, 2, 3]);
  });

  it.concurrent('stops when the webhook is disabled mid-schedule, with a final log entry saying why', async () => {
    receiver.respondWith('/disable-me', 500);
    const webhook = await create({ goodsOwnerIds: [305], url: receiver.url('/disable-me') });
    await pipeline.publish([wmsEvent({ goodsOwnerId: 305 })]);
    await waitFor(() => receiver.at('/disable-me').length >= 3 || undefined, { message: 'three attempts' });
    const update = await pipeline.api(`/api/webhooks/${webhook.id}`, {
      method: 'PUT',
      body: webhookBody({
        goodsOwnerIds: [305],
        url: receiver.url('/disable-me'),
        retryPolicy: 'one-day',
        enabled: false,
      }),
    });
    expect(update.status).toBe(200);
    const logs = await settledLogs(
      webhook.id,
      (entry) => entry.errorKind === 'webhook-disabled',
      'the final disabled entry after every attempt sent',
    );
    expect(logs.at(-1)).toMatchObject({ final: true, error: 'the webhook is disabled; delivery stopped' });
    expect(receiver.at('/disable-me').length).toBe(logs.length - 1);
  });

  it.concurrent('sends the next attempt to a URL changed mid-schedule', async () => {
    receiver.respondWith('/old-url', 500);
    const webhook = await create({ goodsOwnerIds: [306], url: receiver.url('/old-url') });
    await pipeline.publish([wmsEvent({ goodsOwnerId: 306 })]);
    await waitFor(() => receiver.at('/old-url').length >= 3 || undefined, {
      message: 'three attempts at the old URL',
    });
    await pipeline.api(`/api/webhooks/${webhook.id}`, {
      method: 'PUT',
      body: webhookBody({ goodsOwnerIds: [306], url: receiver.url('/new-url'), retryPolicy: 'one-day' }),
    });
    const moved = await waitFor(() => receiver.at('/new-url')[0], { message: 'an attempt at the new URL' });
    expect(Number(moved.headers['webhook-attempt'])).toBeGreaterThanOrEqual(4);
    expect(receiver.at('/new-url')).toHaveLength(1);
  });

  it.concurrent('waits at least as long as a 503 Retry-After asks', async () => {
    receiver.respondWith('/retry-after', 503, { 'Retry-After': '2' });
    await create({ goodsOwnerIds: [308], url: receiver.url('/retry-after') });
    await pipeline.publish([wmsEvent({ goodsOwnerId: 308 })]);
    await waitFor(() => receiver.at('/retry-after').length >= 2 || undefined, {
      timeoutMs: 10_000,
      message: 'the second attempt',
    });
    const [first, second] = receiver.at('/retry-after');
    // The schedule alone would retry after 60 ms.
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(2_000);
  });
});
