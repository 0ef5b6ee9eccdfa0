import { randomUUID } from 'node:crypto';
import { startApi } from '@wms-webhooks/api';
import { deliveryIdFor } from '@wms-webhooks/delivery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody, wmsEvent } from '../support/events';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait-for';

interface ReplayAnswer {
  id: string;
  state: string;
  error: string | null;
  cancelRequested: boolean;
  progress: {
    scanned: number;
    matched: number;
    sent: number;
    skipped: number;
    succeeded: number;
    failed: number;
  };
}
interface LogItem {
  deliveryId: string;
  eventId: string;
  attempt: number;
  outcome: string;
  final: boolean;
  replayId: string | null;
}

describe('replay and backfill', () => {
  let pipeline: Pipeline;
  const receiver = new Receiver();
  // Slow enough that a test can see a replay run, cancel it, and send live traffic past it.
  const ratePerSecond = 4;

  beforeAll(async () => {
    await receiver.start();
    pipeline = await startPipeline({ REPLAY_RATE_PER_SECOND: String(ratePerSecond) });
  });

  afterAll(async () => {
    await pipeline?.stop();
    await receiver.stop();
  });

  const iso = (time: number) => new Date(time).toISOString();
  const replay = (webhookId: string, body: Record<string, unknown>, key?: string) =>
    pipeline.api(`/api/webhooks/${webhookId}/replay`, { method: 'POST', body, key });
  const replayState = async (webhookId: string, replayId: string) => {
    const response = await pipeline.api(`/api/webhooks/${webhookId}/replays/${replayId}`);
    expect(response.status).toBe(200);
    return (await response.json()) as ReplayAnswer;
  };
  const settled = (webhookId: string, replayId: string, until: (answer: ReplayAnswer) => boolean) =>
    waitFor(
      async () => {
        const answer = await replayState(webhookId, replayId);
        return until(answer) && answer;
      },
      { message: `replay ${replayId} to settle`, timeoutMs: 40_000 },
    );
  const logs = async (webhookId: string) =>
    ((await (await pipeline.api(`/api/webhooks/${webhookId}/logs?limit=200`)).json()) as { items: LogItem[] })
      .items;
  const owner = () => 1_000 + Math.floor(Math.random() * 1_000_000);
  /**
   * Publishes events and waits until the pipeline has matched them all, to a webhook of their owner made
   * for that and deleted afterwards: a webhook created next finds them in the log only.
   */
  const publishBeforeWebhook = async (events: ReturnType<typeof wmsEvent>[]) => {
    const owners = [...new Set(events.map((event) => event.goodsOwnerId))];
    const eventTypes = [...new Set(events.map((event) => event.eventType))];
    const path = `/matched-${randomUUID()}`;
    const controls = await Promise.all(
      eventTypes.map((eventType) =>
        pipeline.createWebhook({
          kind: 'automation',
          goodsOwnerIds: owners,
          eventType,
          url: receiver.url(path),
        }),
      ),
    );
    await pipeline.publish(events);
    await waitFor(() => receiver.at(path).length === events.length, { message: 'the events matched live' });
    for (const control of controls) await pipeline.api(`/api/webhooks/${control.id}`, { method: 'DELETE' });
  };

  describe('when a webhook is created after the events it wants', () => {
    it('previews them, then delivers them as first attempts under their delivery ids, marked as replay', async () => {
      const goodsOwnerId = owner();
      const start = Date.now() - 1_000;
      const wanted = [1, 2, 3].map((n) => wmsEvent({ goodsOwnerId, entityId: `ORD-B${n}` }));
      const otherOwner = wmsEvent({ goodsOwnerId: goodsOwnerId + 1 });
      const otherType = wmsEvent({ goodsOwnerId, eventType: 'order.created' });
      await publishBeforeWebhook([...wanted, otherOwner, otherType]);
      const path = `/backfill-${goodsOwnerId}`;
      const { id } = await pipeline.createWebhook({ goodsOwnerIds: [goodsOwnerId], url: receiver.url(path) });
      const window = { from: iso(start), to: iso(Date.now() + 60_000), source: 'log' };

      const preview = await replay(id, { ...window, dryRun: true });
      expect(preview.status).toBe(200);
      const previewed = (await preview.json()) as { count: number; eventIds: string[] };
      expect(previewed).toMatchObject({ dryRun: true, count: 3, complete: true });
      expect(previewed.eventIds.sort()).toEqual(wanted.map((event) => event.eventId).sort());
      expect(receiver.at(path)).toHaveLength(0);

      const accepted = await replay(id, window);
      expect(accepted.status).toBe(202);
      const { id: replayId } = (await accepted.json()) as ReplayAnswer;
      expect(accepted.headers.get('location')).toBe(`/api/webhooks/${id}/replays/${replayId}`);
      const done = await settled(id, replayId, (answer) => answer.progress.succeeded === 3);
      expect(done).toMatchObject({ state: 'completed', error: null });
      expect(done.progress).toMatchObject({ matched: 3, sent: 3, skipped: 0, failed: 0 });

      const ids = receiver.at(path).map((request) => request.headers['webhook-id']);
      expect(ids.sort()).toEqual(wanted.map((event) => deliveryIdFor(event.eventId, id)).sort());
      const items = await waitFor(async () => {
        const found = await logs(id);
        return found.length === 3 && found;
      });
      expect(items.every((item) => item.replayId === replayId && item.attempt === 1)).toBe(true);

      const metrics = async (service: string) => (await fetch(`${pipeline.opsUrls[service]}/metrics`)).text();
      expect(await metrics('api')).toMatch(
        /wms_webhooks_replay_deliveries_total\{source="log",result="sent"[^}]*\} [1-9]/,
      );
      expect(await metrics('api')).toMatch(
        /wms_webhooks_replays_finished_total\{source="log",state="completed"[^}]*\} [1-9]/,
      );
      expect(await metrics('sender')).toMatch(
        /wms_webhooks_replay_attempts_total\{outcome="succeeded"[^}]*\} [1-9]/,
      );
    });
  });

  describe('when a disabled webhook is enabled again', () => {
    it('says since when it was disabled, and a replay from then sends what it missed', async () => {
      const goodsOwnerId = owner();
      const path = `/reenabled-${goodsOwnerId}`;
      const settings = { goodsOwnerIds: [goodsOwnerId], url: receiver.url(path) };
      const { id } = await pipeline.createWebhook(settings);
      const disabled = await pipeline.api(`/api/webhooks/${id}`, {
        method: 'PUT',
        body: webhookBody({ ...settings, enabled: false }),
      });
      const { disabledAt } = (await disabled.json()) as { disabledAt: string | null };
      expect(disabledAt).not.toBeNull();
      const missed = [wmsEvent({ goodsOwnerId }), wmsEvent({ goodsOwnerId })];
      await publishBeforeWebhook(missed);
      const enabled = await pipeline.api(`/api/webhooks/${id}`, {
        method: 'PUT',
        body: webhookBody(settings),
      });
      expect(await enabled.json()).toMatchObject({ enabled: true, disabledAt: null });
      expect(receiver.at(path)).toHaveLength(0);

      const accepted = await replay(id, { from: disabledAt, to: iso(Date.now()), source: 'log' });
      const { id: replayId } = (await accepted.json()) as ReplayAnswer;
      await settled(id, replayId, (answer) => answer.progress.succeeded === 2);
      expect(
        receiver
          .at(path)
          .map((request) => request.headers['webhook-id'])
          .sort(),
      ).toEqual(missed.map((event) => deliveryIdFor(event.eventId, id)).sort());
    });
  });

  describe('when the receiver still fails', () => {
    it('counts each replayed delivery as failed once no attempt is left', async () => {
      const goodsOwnerId = owner();
      const path = `/still-failing-${goodsOwnerId}`;
      receiver.respondWith(path, 503);
      const start = Date.now() - 1_000;
      await publishBeforeWebhook([wmsEvent({ goodsOwnerId }), wmsEvent({ goodsOwnerId })]);
      const { id } = await pipeline.createWebhook({ goodsOwnerIds: [goodsOwnerId], url: receiver.url(path) });
      const accepted = (await (
        await replay(id, { from: iso(start), to: iso(Date.now()), source: 'log' })
      ).json()) as ReplayAnswer;
      const done = await settled(id, accepted.id, (answer) => answer.progress.failed === 2);
      expect(done.progress).toMatchObject({ sent: 2, succeeded: 0, failed: 2 });
    });
  });

  describe('when deliveries failed finally', () => {
    it('sends each again once as its next attempt, and a second replay skips them', async () => {
      const goodsOwnerId = owner();
      const path = `/failing-${goodsOwnerId}`;
      receiver.respondWith(path, 500);
      const start = Date.now() - 1_000;
      const { id } = await pipeline.createWebhook({ goodsOwnerIds: [goodsOwnerId], url: receiver.url(path) });
      const events = [wmsEvent({ goodsOwnerId }), wmsEvent({ goodsOwnerId })];
      await pipeline.publish(events);
      await waitFor(async () => (await logs(id)).filter((item) => item.final).length === 2, {
        message: 'both deliveries failed finally',
      });
      receiver.respondWith(path, 200);
      const window = { from: iso(start), to: iso(Date.now()), source: 'failed' };

      const preview = (await (await replay(id, { ...window, dryRun: true })).json()) as { count: number };
      expect(preview.count).toBe(2);
      const first = (await (await replay(id, window)).json()) as ReplayAnswer;
      const done = await settled(id, first.id, (answer) => answer.progress.succeeded === 2);
      expect(done.progress).toMatchObject({ matched: 2, sent: 2, skipped: 0, failed: 0 });
      const requests = receiver.at(path);
      expect(requests).toHaveLength(4);
      for (const event of events) {
        const deliveryId = deliveryIdFor(event.eventId, id);
        expect(requests.filter((request) => request.headers['webhook-id'] === deliveryId)).toHaveLength(2);
      }
      const resent = (await logs(id)).filter((item) => item.replayId === first.id);
      expect(resent.map((item) => [item.attempt, item.outcome])).toEqual([
        [2, 'succeeded'],
        [2, 'succeeded'],
      ]);

      const again = (await (await replay(id, window)).json()) as ReplayAnswer;
      const skipped = await settled(id, again.id, (answer) => answer.state === 'completed');
      expect(skipped.progress).toMatchObject({ matched: 2, sent: 0, skipped: 2 });
      expect(
        (await (await replay(id, { ...window, dryRun: true })).json()) as { count: number },
      ).toMatchObject({
        count: 0,
      });
      expect(receiver.at(path)).toHaveLength(4);
    });
  });

  describe('while a replay runs', () => {
    let webhookId: string;
    let replayId: string;
    let goodsOwnerId: number;
    const path = `/busy-${randomUUID()}`;

    beforeAll(async () => {
      goodsOwnerId = owner();
      const start = Date.now() - 1_000;
      await publishBeforeWebhook(Array.from({ length: 40 }, () => wmsEvent({ goodsOwnerId })));
      ({ id: webhookId } = await pipeline.createWebhook({
        goodsOwnerIds: [goodsOwnerId],
        url: receiver.url(path),
      }));
      const accepted = await replay(webhookId, { from: iso(start), to: iso(Date.now()), source: 'log' });
      expect(accepted.status).toBe(202);
      replayId = ((await accepted.json()) as ReplayAnswer).id;
      await waitFor(() => receiver.at(path).length > 0, { message: 'the replay sending' });
    });

    it('delivers live events beside it, before it ends', async () => {
      const live = wmsEvent({ goodsOwnerId });
      await pipeline.publish([live]);
      const liveId = deliveryIdFor(live.eventId, webhookId);
      await waitFor(() => receiver.at(path).some((request) => request.headers['webhook-id'] === liveId), {
        message: 'the live delivery',
      });
      expect((await replayState(webhookId, replayId)).state).toBe('running');
    });

    it('refuses a second replay of the same webhook', async () => {
      const second = await replay(webhookId, {
        from: iso(Date.now() - 60_000),
        to: iso(Date.now()),
        source: 'log',
      });
      expect(second.status).toBe(409);
      expect(((await second.json()) as { error: string }).error).toContain(replayId);
    });

    it('stops where it is when cancelled, keeping what it sent', async () => {
      const cancelled = await pipeline.api(`/api/webhooks/${webhookId}/replays/${replayId}`, {
        method: 'DELETE',
      });
      expect(cancelled.status).toBe(202);
      expect(((await cancelled.json()) as ReplayAnswer).cancelRequested).toBe(true);
      const ended = await settled(webhookId, replayId, (answer) => answer.state !== 'running');
      expect(ended.state).toBe('cancelled');
      expect(ended.progress.sent).toBeGreaterThan(0);
      expect(ended.progress.sent).toBeLessThan(40);
      const sentThen = ended.progress.sent;
      await waitFor(async () => (await replayState(webhookId, replayId)).progress.succeeded === sentThen, {
        message: 'what it sent delivered',
      });
      expect(
        (await pipeline.api(`/api/webhooks/${webhookId}/replays/${replayId}`, { method: 'DELETE' })).status,
      ).toBe(409);
      const listed = (await (await pipeline.api(`/api/webhooks/${webhookId}/replays`)).json()) as {
        items: ReplayAnswer[];
      };
      expect(listed.items.map((item) => item.id)).toEqual([replayId]);
    });
  });

  describe('who may replay what', () => {
    let webhookId: string;
    const window = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() };

    beforeAll(async () => {
      ({ id: webhookId } = await pipeline.createWebhook({ goodsOwnerIds: [4242] }));
    });

    const keyFor = async (goodsOwnerIds: number[]) => {
      const response = await pipeline.api('/api/keys', {
        method: 'POST',
        body: { name: `replayer ${goodsOwnerIds.join(',')}`, role: 'goods-owner', goodsOwnerIds },
      });
      return ((await response.json()) as { key: string }).key;
    };

    it("refuses a goods-owner key another owner's webhook, and lets it replay its own", async () => {
      const foreign = await keyFor([4343]);
      expect((await replay(webhookId, { ...window, source: 'log', dryRun: true }, foreign)).status).toBe(403);
      expect((await pipeline.api(`/api/webhooks/${webhookId}/replays`, { key: foreign })).status).toBe(403);
      const own = await keyFor([4242]);
      expect((await replay(webhookId, { ...window, source: 'log', dryRun: true }, own)).status).toBe(200);
    });

    it('names every problem of a malformed request', async () => {
      const answer = await replay(webhookId, { from: 'yesterday', source: 'everything', extra: 1 });
      expect(answer.status).toBe(400);
      const { problems } = (await answer.json()) as { problems: Array<{ field: string }> };
      expect(problems.map((problem) => problem.field).sort()).toEqual(['extra', 'from', 'source', 'to']);
      const backwards = await replay(webhookId, { from: window.to, to: window.from, source: 'failed' });
      expect(await backwards.json()).toMatchObject({
        problems: [{ field: 'to', message: 'must be after `from`' }],
      });
    });

    it('refuses to replay to a disabled webhook, and says to enable it', async () => {
      const { id } = await pipeline.createWebhook({ goodsOwnerIds: [4242], enabled: false });
      const answer = await replay(id, { ...window, source: 'log' });
      expect(answer.status).toBe(409);
      expect(((await answer.json()) as { error: string }).error).toContain('enable it');
    });

    it("answers 404 for another webhook's replay", async () => {
      const { id } = await pipeline.createWebhook({ goodsOwnerIds: [4242] });
      const accepted = (await (await replay(id, { ...window, source: 'failed' })).json()) as ReplayAnswer;
      expect((await pipeline.api(`/api/webhooks/${webhookId}/replays/${accepted.id}`)).status).toBe(404);
    });
  });

  describe('when the API running a replay stops', () => {
    it('is taken over by another API, which sends nothing twice', async () => {
      const goodsOwnerId = owner();
      const path = `/takeover-${goodsOwnerId}`;
      const start = Date.now() - 1_000;
      await publishBeforeWebhook(Array.from({ length: 12 }, () => wmsEvent({ goodsOwnerId })));
      const { id } = await pipeline.createWebhook({ goodsOwnerIds: [goodsOwnerId], url: receiver.url(path) });
      const second = await startApi({ ...pipeline.env, REPLAY_RATE_PER_SECOND: '4' });
      try {
        const accepted = await replay(id, { from: iso(start), to: iso(Date.now()), source: 'log' });
        const { id: replayId } = (await accepted.json()) as ReplayAnswer;
        await waitFor(() => receiver.at(path).length >= 2, { message: 'the replay under way' });
        // The first API stops its run as it would at shutdown; the second finds it silent and takes it over.
        await pipeline.stopApiReplays();
        const done = await settled(id, replayId, (answer) => answer.state === 'completed');
        expect(done.progress.matched).toBe(12);
        const store = await pipeline.store();
        const runs = await store.db.collection('webhook_replay_runs').find({}).toArray();
        await store.close();
        expect(runs.map((run) => run._id).filter((run) => String(run).startsWith(replayId))).toEqual([
          `${replayId}:1`,
          `${replayId}:2`,
        ]);
        await waitFor(() => receiver.at(path).length >= 12, { message: 'all twelve delivered' });
        const ids = receiver.at(path).map((request) => request.headers['webhook-id']);
        expect(new Set(ids).size).toBe(12);
        expect(ids).toHaveLength(12);
      } finally {
        for (const step of second.shutdownSteps) await step.run().catch(() => undefined);
      }
    });
  });
});
