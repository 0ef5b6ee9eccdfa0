import type { DeliveryTask } from '@wms-webhooks/contracts';
import { testWebhook } from '@wms-webhooks/webhooks/testing';
import { describe, expect, it } from 'vitest';
import type { AttemptLog } from './attempt-documents';
import { createKeyedQueue } from './concurrency';
import { type DeliveryDeps, deliverBatch, stageDelivery } from './deliver-batch';
import { deliveryLane } from './delivery-lane';
import type { AttemptOutcome, DeliveryClient } from './http-client';
import { sampleTask } from './sample-task.fixture';

const task = sampleTask;

/** A client that answers per URL after a delay, recording the order requests started in. */
function scriptedClient(answers: Record<string, { status: number; delayMs: number }>) {
  const started: string[] = [];
  const client: DeliveryClient = {
    async send(request) {
      started.push(JSON.parse(request.body).eventId as string);
      const answer = answers[request.url] ?? { status: 200, delayMs: 0 };
      await new Promise((done) => setTimeout(done, answer.delayMs));
      const outcome: AttemptOutcome =
        answer.status < 300
          ? { outcome: 'succeeded', statusCode: answer.status, durationMs: answer.delayMs }
          : {
              outcome: 'failed',
              kind: 'status',
              statusCode: answer.status,
              error: `HTTP ${answer.status}`,
              durationMs: answer.delayMs,
            };
      return outcome;
    },
    close() {},
  };
  return { client, started };
}

/** A dependency whose first call fails with `message`; later calls do what `then` does. Counts its calls. */
function failingOnce<A extends unknown[], R>(message: string, then: (...args: A) => R) {
  const dependency = Object.assign(
    async (...args: A) => {
      dependency.calls++;
      if (dependency.calls === 1) throw new Error(message);
      return then(...args);
    },
    { calls: 0 },
  );
  return dependency;
}

function deps(
  client: DeliveryClient,
  webhooks: ReturnType<typeof testWebhook>[],
  written: AttemptLog[][],
  routed: {
    retries: Array<{ tier: string; task: DeliveryTask }>;
    dead: DeliveryTask[];
    quarantined?: Array<{ task: DeliveryTask; reason: string }>;
    /** Each step in the order it ran: `disable <webhookId>`, `dead <deliveryId>`. */
    steps?: string[];
  } = {
    retries: [],
    dead: [],
  },
): DeliveryDeps {
  const byId = new Map(webhooks.map((webhook) => [webhook.id, webhook]));
  return {
    client,
    webhookById: (id) => byId.get(id),
    writeLogs: async (logs) => void written.push(logs),
    enqueueRetries: async (tasks) => void routed.retries.push(...tasks),
    deadLetter: async (tasks) => {
      routed.dead.push(...tasks);
      routed.steps?.push(...tasks.map((dead) => `dead ${dead.deliveryId}`));
    },
    disableWebhooks: async (items) =>
      void routed.steps?.push(...items.map((item) => `disable ${item.webhookId}`)),
    quarantine: async (items) => void routed.quarantined?.push(...items),
    now: () => 1_000,
    queue: createKeyedQueue(8),
    timeScale: 1,
    origin: 'sender',
  };
}

describe('deliverBatch', () => {
  it('keeps one webhook in order while a slow webhook does not hold up another', async () => {
    const slow = testWebhook({ id: 'slow', url: 'http://slow' });
    const fast = testWebhook({ id: 'fast', url: 'http://fast' });
    const { client, started } = scriptedClient({
      'http://slow': { status: 200, delayMs: 50 },
      'http://fast': { status: 200, delayMs: 0 },
    });
    const written: AttemptLog[][] = [];
    await deliverBatch(deps(client, [slow, fast], written), [
      task('slow', 's1'),
      task('slow', 's2'),
      task('fast', 'f1'),
      task('fast', 'f2'),
    ]);
    expect(started.indexOf('s1')).toBeLessThan(started.indexOf('s2'));
    expect(started.indexOf('f2')).toBeLessThan(started.indexOf('s2'));
  });

  it('logs every attempt in one write, with outcome and status', async () => {
    const ok = testWebhook({ id: 'ok', url: 'http://ok' });
    const broken = testWebhook({ id: 'broken', url: 'http://broken' });
    const { client } = scriptedClient({ 'http://broken': { status: 503, delayMs: 0 } });
    const written: AttemptLog[][] = [];
    await deliverBatch(deps(client, [ok, broken], written), [task('ok', 'a'), task('broken', 'b')]);
    expect(written).toHaveLength(1);
    const byEvent = Object.fromEntries(written[0]!.map((log) => [log.eventId, log]));
    expect(byEvent.a).toMatchObject({ outcome: 'succeeded', statusCode: 200, error: null, url: 'http://ok' });
    expect(byEvent.b).toMatchObject({
      outcome: 'failed',
      statusCode: 503,
      errorKind: 'status',
      error: 'HTTP 503',
    });
  });

  it('does not send for a deleted or disabled webhook, and says why in the log', async () => {
    const disabled = testWebhook({ id: 'disabled', enabled: false });
    const { client, started } = scriptedClient({});
    const written: AttemptLog[][] = [];
    await deliverBatch(deps(client, [disabled], written), [task('gone', 'x'), task('disabled', 'y')]);
    expect(started).toEqual([]);
    expect(written[0]!.map((log) => [log.errorKind, log.final])).toEqual([
      ['webhook-deleted', true],
      ['webhook-disabled', true],
    ]);
  });

  it('sends a test delivery even while the webhook is disabled', async () => {
    const disabled = testWebhook({ id: 'disabled', enabled: false });
    const { client, started } = scriptedClient({});
    await deliverBatch(deps(client, [disabled], []), [task('disabled', 't', { test: true })]);
    expect(started).toEqual(['t']);
  });

  describe("when the webhook's stored secrets do not open", () => {
    it('sends nothing, quarantines the task with the reason, logs it, and still delivers the rest of the batch', async () => {
      const locked = testWebhook({
        id: 'locked',
        unreadableSecrets: 'sealed with key "k1", which is not in the keyring',
      });
      const open = testWebhook({ id: 'open', url: 'http://open' });
      const { client, started } = scriptedClient({ 'http://open': { status: 200, delayMs: 0 } });
      const written: AttemptLog[][] = [];
      const routed = {
        retries: [],
        dead: [],
        quarantined: [] as Array<{ task: DeliveryTask; reason: string }>,
      };
      await deliverBatch(deps(client, [locked, open], written, routed), [
        task('locked', 'l'),
        task('open', 'o'),
      ]);
      expect(started).toEqual(['o']);
      expect(routed.quarantined.map(({ task, reason }) => [task.deliveryId, reason])).toEqual([
        ['l-locked', 'sealed with key "k1", which is not in the keyring'],
      ]);
      expect(written[0]!.map((log) => [log.deliveryId, log.errorKind])).toEqual([
        ['l-locked', 'cannot-decrypt'],
        ['o-open', null],
      ]);
    });
  });

  describe('when the receiver answers 410 Gone', () => {
    it('disables the webhook once, before its dead letters are produced', async () => {
      const hook = testWebhook({ id: 'gone', url: 'http://gone', retryPolicy: 'one-day' });
      const { client } = scriptedClient({ 'http://gone': { status: 410, delayMs: 0 } });
      const routed = { retries: [], dead: [] as DeliveryTask[], steps: [] as string[] };
      await deliverBatch(deps(client, [hook], [], routed), [task('gone', 'a'), task('gone', 'b')]);
      expect(routed.steps).toEqual(['disable gone', 'dead a-gone', 'dead b-gone']);
      expect(routed.retries).toEqual([]);
    });
  });

  describe('when the target address is refused by the SSRF guard', () => {
    it('dead-letters at once instead of scheduling a retry', async () => {
      const hook = testWebhook({ id: 'inside', url: 'http://inside', retryPolicy: 'one-day' });
      const client: DeliveryClient = {
        send: async () => ({
          outcome: 'failed',
          kind: 'target-refused',
          statusCode: null,
          error: 'inside resolves to an address that is not public: 10.0.0.1 is a private address',
          durationMs: 0,
        }),
        close() {},
      };
      const routed = {
        retries: [] as Array<{ tier: string; task: DeliveryTask }>,
        dead: [] as DeliveryTask[],
      };
      await deliverBatch(deps(client, [hook], [], routed), [task('inside', 'e')]);
      expect(routed.retries).toEqual([]);
      expect(routed.dead[0]?.finalReason).toMatch(
        /^the target address is not allowed; last error: inside resolves/,
      );
    });
  });
});

describe('when webhooks allow different numbers of deliveries at once', () => {
  /** A client that counts how many requests per URL are open at once, each taking 20 ms. */
  function countingClient() {
    const open = new Map<string, number>();
    const most = new Map<string, number>();
    const client: DeliveryClient = {
      async send(request) {
        open.set(request.url, (open.get(request.url) ?? 0) + 1);
        most.set(request.url, Math.max(most.get(request.url) ?? 0, open.get(request.url) ?? 0));
        await new Promise((done) => setTimeout(done, 20));
        open.set(request.url, (open.get(request.url) ?? 1) - 1);
        return { outcome: 'succeeded', statusCode: 200, durationMs: 20 };
      },
      close() {},
    };
    return { client, most };
  }

  it('keeps a one-at-a-time webhook to one request, and lets one that allows 3 have 3 in flight', async () => {
    const single = testWebhook({ id: 'single', url: 'http://single' });
    const wide = testWebhook({ id: 'wide', url: 'http://wide', maxConcurrency: 3 });
    const { client, most } = countingClient();
    const dependencies = deps(client, [single, wide], []);
    const byId = new Map([single, wide].map((webhook) => [webhook.id, webhook]));
    dependencies.laneOf = (each) => deliveryLane(byId.get(each.webhookId) ?? single, each.deliveryId);
    const tasks = Array.from({ length: 30 }, (_, index) => [
      task('single', `s${index}`),
      task('wide', `w${index}`),
    ]);
    await deliverBatch(dependencies, tasks.flat());
    expect(most.get('http://single')).toBe(1);
    expect(most.get('http://wide')).toBe(3);
  });
});

describe('stageDelivery', () => {
  it('starts a batch at once, behind the earlier batch for the same webhook only', async () => {
    const slow = testWebhook({ id: 'slow', url: 'http://slow' });
    const fast = testWebhook({ id: 'fast', url: 'http://fast' });
    const { client, started } = scriptedClient({ 'http://slow': { status: 200, delayMs: 30 } });
    const shared = deps(client, [slow, fast], []);
    const first = stageDelivery(shared, [task('slow', 's1'), task('slow', 's2')]);
    const second = stageDelivery(shared, [task('slow', 's3'), task('fast', 'f1')]);
    await Promise.all([first.finish(), second.finish()]);
    expect(started).toEqual(['s1', 'f1', 's2', 's3']);
  });

  describe('when the log write fails', () => {
    it('writes again on the next finish without sending again', async () => {
      const hook = testWebhook({ id: 'hook', url: 'http://hook' });
      const { client, started } = scriptedClient({});
      const written: AttemptLog[][] = [];
      const staged = stageDelivery(
        {
          ...deps(client, [hook], written),
          writeLogs: failingOnce('store unavailable', (logs: AttemptLog[]) => {
            written.push(logs);
          }),
        },
        [task('hook', 'a')],
      );
      await expect(staged.finish()).rejects.toThrow('store unavailable');
      const settled = await staged.finish();
      expect(started).toEqual(['a']);
      expect(settled.map((settlement) => settlement.kind)).toEqual(['delivered']);
      expect(written).toHaveLength(1);
    });
  });

  describe('when a retry could not be produced', () => {
    it('produces it again on the next finish without sending again', async () => {
      const hook = testWebhook({ id: 'hook', url: 'http://hook', retryPolicy: 'one-day' });
      const { client, started } = scriptedClient({ 'http://hook': { status: 503, delayMs: 0 } });
      const enqueueRetries = failingOnce('broker unavailable', () => undefined);
      const staged = stageDelivery({ ...deps(client, [hook], []), enqueueRetries }, [task('hook', 'a')]);
      await expect(staged.finish()).rejects.toThrow('broker unavailable');
      const settled = await staged.finish();
      expect(started).toEqual(['a']);
      expect(enqueueRetries.calls).toBe(2);
      expect(settled.map((settlement) => settlement.kind)).toEqual(['retry']);
    });
  });

  describe('when a webhook could not be read', () => {
    it('attempts the batch again on the next finish', async () => {
      const hook = testWebhook({ id: 'hook', url: 'http://hook' });
      const { client, started } = scriptedClient({});
      const staged = stageDelivery(
        { ...deps(client, [hook], []), webhookById: failingOnce('store unavailable', () => hook) },
        [task('hook', 'a')],
      );
      await expect(staged.finish()).rejects.toThrow('store unavailable');
      const settled = await staged.finish();
      expect(started).toEqual(['a']);
      expect(settled.map((settlement) => settlement.kind)).toEqual(['delivered']);
    });
  });
});
