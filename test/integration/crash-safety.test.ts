import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeliveryTask } from '@wms-webhooks/contracts';
import { deliveryIdFor } from '@wms-webhooks/delivery';
import type { RunningConsumer } from '@wms-webhooks/kafka';
import { launchService, type RunningService, waitUntilReady } from '@wms-webhooks/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAvroConsumer } from '../support/avro-consumer';
import { webhookBody, wmsEvent } from '../support/events';
import { freePort } from '../support/free-port';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { quietLogger } from '../support/stack';
import { uniqueName } from '../support/unique';
import { waitFor } from '../support/wait-for';

describe('when the sender and a retrier are killed with SIGKILL mid-stream', () => {
  let pipeline: Pipeline;
  let deadConsumer: RunningConsumer;
  let logsDir: string;
  const receiver = new Receiver();
  const dead: DeliveryTask[] = [];
  const running: RunningService[] = [];

  const launch = async (name: 'sender' | 'retrier', extra: Record<string, string> = {}) => {
    const port = await freePort();
    const service = launchService(
      {
        name,
        label: `${name}-${running.length}`,
        readyUrl: `http://127.0.0.1:${port}/readyz`,
        env: {
          ...process.env,
          ...pipeline.env,
          OPS_PORT: String(port),
          LOG_LEVEL: 'warn',
          ...extra,
        } as NodeJS.ProcessEnv,
      },
      logsDir,
    );
    running.push(service);
    await waitUntilReady(service, 60_000);
    return service;
  };

  beforeAll(async () => {
    await receiver.start();
    logsDir = await mkdtemp(join(tmpdir(), 'it-crash-'));
    pipeline = await startPipeline(
      { WEBHOOKS_TIME_SCALE: '0.001', KAFKA_SESSION_TIMEOUT_MS: '6000' },
      { sender: false },
    );
    deadConsumer = await runAvroConsumer<DeliveryTask>(pipeline.kafka, pipeline.serde, {
      groupId: uniqueName('it-crash-dead'),
      topic: pipeline.topics.dead,
      startAt: 'earliest',
      logger: quietLogger,
      handle: async (task) => {
        dead.push(task);
      },
    });
  });

  afterAll(async () => {
    for (const service of running) service.child.kill('SIGKILL');
    await deadConsumer?.stop();
    await pipeline?.stop();
    await receiver.stop();
  });

  it('still ends every delivery task in success or its final failure, duplicates only under the same delivery id', async () => {
    const create = async (overrides: Record<string, unknown>) => {
      const response = await pipeline.api('/api/webhooks', {
        method: 'POST',
        body: webhookBody({ goodsOwnerIds: [501], ...overrides }),
      });
      return ((await response.json()) as { id: string }).id;
    };
    receiver.respondBy('/flaky', (request) => (request.headers['webhook-attempt'] === '1' ? 500 : 200));
    receiver.respondWith('/broken', 500);
    const healthy = await create({ url: receiver.url('/healthy'), retryPolicy: 'one-day' });
    const flaky = await create({ url: receiver.url('/flaky'), retryPolicy: 'one-day' });
    const broken = await create({ url: receiver.url('/broken'), retryPolicy: 'none' });

    let sender = await launch('sender');
    let retrier = await launch('retrier', { RETRY_TIER: '1m' });

    const events = Array.from({ length: 300 }, () => wmsEvent({ goodsOwnerId: 501 }));
    const publishing = (async () => {
      for (let index = 0; index < events.length; index += 10) {
        await pipeline.publish(events.slice(index, index + 10));
        await new Promise((tick) => setTimeout(tick, 40));
      }
    })();
    await waitFor(() => receiver.at('/healthy').length >= 50 || undefined, {
      message: 'the stream to be under way',
    });
    sender.child.kill('SIGKILL');
    expect(await sender.exited).toBeNull();
    sender = await launch('sender');
    await waitFor(
      () => receiver.at('/flaky').some((request) => request.headers['webhook-attempt'] === '2') || undefined,
      {
        message: 'retries to be under way',
      },
    );
    retrier.child.kill('SIGKILL');
    await retrier.exited;
    retrier = await launch('retrier', { RETRY_TIER: '1m' });
    await publishing;

    const distinctIds = (path: string, ok: (attempt: string | string[] | undefined) => boolean) =>
      new Set(
        receiver
          .at(path)
          .filter((request) => ok(request.headers['webhook-attempt']))
          .map((request) => request.headers['webhook-id']),
      );
    await waitFor(
      () =>
        distinctIds('/healthy', () => true).size === events.length &&
        distinctIds('/flaky', (attempt) => attempt !== '1').size === events.length &&
        new Set(dead.filter((task) => task.webhookId === broken).map((task) => task.deliveryId)).size ===
          events.length,
      { timeoutMs: 90_000, intervalMs: 250, message: 'every task to end' },
    );

    const expected = (webhookId: string) =>
      new Set(events.map((event) => deliveryIdFor(event.eventId, webhookId)));
    expect(distinctIds('/healthy', () => true)).toEqual(expected(healthy));
    expect(distinctIds('/flaky', (attempt) => attempt !== '1')).toEqual(expected(flaky));
    expect(new Set(dead.filter((task) => task.webhookId === broken).map((task) => task.deliveryId))).toEqual(
      expected(broken),
    );
    // At least once: a SIGKILL between a send and its commit repeats what was in flight, under the same
    // delivery id and with the same body, so a receiver can drop it. Each kill can at most double what
    // passed it: the sender was killed once (healthy, dead letters), the sender and then the retrier
    // on the way of the flaky webhook's second attempts.
    const groups = <T>(items: T[], key: (item: T) => unknown) => {
      const byKey = new Map<unknown, T[]>();
      for (const item of items) byKey.set(key(item), [...(byKey.get(key(item)) ?? []), item]);
      return [...byKey.values()];
    };
    const most = (ids: unknown[]) => Math.max(...groups(ids, (id) => id).map((group) => group.length));
    const bodiesPerId = (path: string) =>
      Math.max(
        ...groups(receiver.at(path), (request) => request.headers['webhook-id']).map(
          (group) => new Set(group.map((request) => request.body)).size,
        ),
      );
    const flakySuccesses = receiver
      .at('/flaky')
      .filter((request) => request.headers['webhook-attempt'] !== '1');
    const deadLetters = dead.filter((task) => task.webhookId === broken);
    expect(most(receiver.at('/healthy').map((request) => request.headers['webhook-id']))).toBeLessThanOrEqual(
      2,
    );
    expect(most(deadLetters.map((task) => task.deliveryId))).toBeLessThanOrEqual(2);
    expect(most(flakySuccesses.map((request) => request.headers['webhook-id']))).toBeLessThanOrEqual(4);
    expect(bodiesPerId('/healthy')).toBe(1);
    expect(bodiesPerId('/flaky')).toBe(1);
    console.log(
      `crash test: ${events.length} events × 3 webhooks; repeats after two SIGKILLs: ${JSON.stringify({
        healthy: receiver.at('/healthy').length - events.length,
        flakySuccesses: flakySuccesses.length - events.length,
        deadLetters: deadLetters.length - events.length,
      })}`,
    );
  }, 180_000);
});
