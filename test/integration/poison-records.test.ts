import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { InvalidWmsEvent, QuarantinedRecord } from '@wms-webhooks/contracts';
import type { RunningConsumer } from '@wms-webhooks/kafka';
import { parseKeyring, SecretBox } from '@wms-webhooks/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAvroConsumer } from '../support/avro-consumer';
import { webhookBody, wmsEvent } from '../support/events';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { endlessMapRecord } from '../support/poison';
import { Receiver } from '../support/receiver';
import { quietLogger } from '../support/stack';
import { uniqueName } from '../support/unique';
import { waitFor } from '../support/wait-for';

describe('records no service can process', () => {
  let pipeline: Pipeline;
  let consumers: RunningConsumer[] = [];
  const receiver = new Receiver();
  const invalid: InvalidWmsEvent[] = [];
  const quarantined: QuarantinedRecord[] = [];

  const create = async (overrides: Record<string, unknown>) => {
    const response = await pipeline.api('/api/webhooks', { method: 'POST', body: webhookBody(overrides) });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string };
  };
  const delivered = (path: string, eventId: string) =>
    receiver.at(path).filter((request) => request.body.includes(eventId)).length;

  beforeAll(async () => {
    await receiver.start();
    pipeline = await startPipeline({ DEFINITIONS_RESYNC_MS: '500' }, { retriers: true });
    const follow = <T>(topic: string, into: T[]) =>
      runAvroConsumer<T>(pipeline.kafka, pipeline.serde, {
        groupId: uniqueName('it-poison-reader'),
        topic,
        startAt: 'earliest',
        logger: quietLogger,
        handle: async (value) => void into.push(value),
      });
    consumers = await Promise.all([
      follow(pipeline.topics.wmsEventsInvalid, invalid),
      follow(pipeline.topics.quarantine, quarantined),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled(consumers.map((consumer) => consumer.stop()));
    await pipeline?.stop();
    await receiver.stop();
  });

  describe('when a 77-byte event claims a map of 10^15 entries', () => {
    it('files it as undecodable while /healthz answers, and delivers the next event of its partition', async () => {
      await create({ goodsOwnerIds: [301], url: receiver.url('/after-endless-map') });
      const schemaId = pipeline.serde.schemaId(pipeline.topics.wmsEvents);
      const poison = endlessMapRecord(schemaId);
      expect(poison.length).toBe(77);
      const good = wmsEvent({ goodsOwnerId: 301, entityId: 'ORD-SHARED-1' });
      await pipeline.producer.send(pipeline.topics.wmsEvents, [{ key: 'ORD-SHARED-1', value: poison }]);
      await pipeline.publish([good]);

      const filed = await waitFor(() => invalid.find((entry) => entry.originalValue?.equals(poison)), {
        message: 'the endless map filed as invalid',
      });
      expect(filed).toMatchObject({
        errorCode: 'undecodable',
        truncated: false,
        originalSize: expect.any(Number),
      });
      expect(filed.reason).toMatch(/map block claims 1000000000000000 items/);
      expect((await fetch(`${pipeline.opsUrls.ingester}/healthz`)).status).toBe(200);
      await waitFor(() => delivered('/after-endless-map', good.eventId) === 1 || undefined, {
        message: 'the good event after the endless map',
      });
    });
  });

  describe('when a record on wms.events is 1,000,000 bytes', () => {
    it('files it whole as invalid, and delivers the event fetched with it exactly once', async () => {
      await create({ goodsOwnerIds: [302], url: receiver.url('/after-huge') });
      const huge = Buffer.alloc(1_000_000, 7);
      const good = wmsEvent({ goodsOwnerId: 302, entityId: 'ORD-SHARED-2' });
      await pipeline.producer.send(pipeline.topics.wmsEvents, [{ key: 'ORD-SHARED-2', value: huge }]);
      await pipeline.publish([good]);
      const filed = await waitFor(
        () => invalid.find((entry) => entry.originalValue?.length === huge.length),
        {
          message: 'the huge record filed as invalid',
        },
      );
      expect(filed).toMatchObject({ errorCode: 'undecodable', truncated: false });
      expect(filed.originalValue?.equals(huge)).toBe(true);

      const barrier = wmsEvent({ goodsOwnerId: 302, entityId: 'ORD-SHARED-2' });
      await pipeline.publish([barrier]);
      await waitFor(() => delivered('/after-huge', barrier.eventId) === 1 || undefined, {
        message: 'the event published after them',
      });
      expect(delivered('/after-huge', good.eventId)).toBe(1);
    });
  });

  describe('when undecodable records reach the internal topics', () => {
    it('quarantines each with its reason, service and source, and delivers what comes after', async () => {
      const webhook = await create({ goodsOwnerIds: [303], url: receiver.url('/after-internal-poison') });
      const garbage = (label: string) => Buffer.from(`not avro: ${label}`);
      await pipeline.producer.send(pipeline.topics.acceptedEvents, [
        { key: 'ORD-SHARED-3', value: garbage('events') },
      ]);
      await pipeline.producer.send(pipeline.topics.deliveries, [
        { key: webhook.id, value: garbage('deliveries') },
      ]);
      await pipeline.producer.send(pipeline.topics.retry1m, [{ key: webhook.id, value: garbage('retry') }]);
      const good = wmsEvent({ goodsOwnerId: 303, entityId: 'ORD-SHARED-3' });
      await pipeline.publish([good]);

      await waitFor(() => delivered('/after-internal-poison', good.eventId) === 1 || undefined, {
        message: 'the good event after the poison',
      });
      const entries = await waitFor(
        () => {
          const ours = quarantined.filter((entry) => entry.originalValue?.toString().startsWith('not avro'));
          return ours.length >= 3 && ours;
        },
        { message: 'three quarantined records' },
      );
      const bySource = Object.fromEntries(entries.map((entry) => [entry.sourceTopic, entry]));
      expect(bySource[pipeline.topics.acceptedEvents]).toMatchObject({
        service: 'matcher',
        errorCode: 'undecodable',
        originalValue: garbage('events'),
        originalKey: Buffer.from('ORD-SHARED-3'),
      });
      expect(bySource[pipeline.topics.deliveries]).toMatchObject({
        service: 'sender',
        errorCode: 'undecodable',
      });
      expect(bySource[pipeline.topics.retry1m]).toMatchObject({
        service: 'retrier-1m',
        errorCode: 'undecodable',
      });
      for (const entry of entries) expect(entry.sourceOffset).toBeGreaterThanOrEqual(0);
    });
  });

  describe('when one 250 KB event matches 60 webhooks of one goods owner', () => {
    it('delivers all 60, and the next event of another owner on the same partition', async () => {
      for (let index = 0; index < 60; index++)
        await create({ goodsOwnerIds: [304], url: receiver.url('/fan-out') });
      await create({ goodsOwnerIds: [305], url: receiver.url('/other-owner') });
      const large = wmsEvent({
        goodsOwnerId: 304,
        entityId: 'ORD-SHARED-4',
        payload: JSON.stringify({ pad: 'x'.repeat(250_000) }),
      });
      const other = wmsEvent({ goodsOwnerId: 305, entityId: 'ORD-SHARED-4' });
      await pipeline.publish([large, other]);
      await waitFor(() => delivered('/other-owner', other.eventId) === 1 || undefined, {
        message: "the other owner's event",
      });
      await waitFor(() => delivered('/fan-out', large.eventId) >= 60 || undefined, {
        message: '60 deliveries of the large event',
        timeoutMs: 60_000,
      });
      const ids = receiver.at('/fan-out').map((request) => request.headers['webhook-id']);
      expect(new Set(ids).size).toBe(60);
    }, 120_000);
  });

  describe("when a webhook's stored secrets were sealed with a key no longer in the keyring", () => {
    let locked: { id: string };
    let event: ReturnType<typeof wmsEvent>;
    const sealToken = async (box: SecretBox) => {
      const store = await pipeline.store();
      await store.db
        .collection('webhooks')
        .updateOne(
          { _id: locked.id as never },
          { $set: { 'auth.token': box.seal('sealed-away', `webhook:${locked.id}:auth.token`) } },
        );
      await store.close();
    };
    const quarantineTool = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'deploy/tools/src/quarantine.ts', ...args, '--prefix', pipeline.prefix],
        { env: { ...process.env, ...pipeline.env } },
      );

    it('quarantines its deliveries with the reason, logs them, and delivers the other webhooks', async () => {
      locked = await create({
        goodsOwnerIds: [306],
        url: receiver.url('/locked'),
        auth: { type: 'token', token: 'sealed-away' },
      });
      await create({ goodsOwnerIds: [306], url: receiver.url('/unlocked') });
      await sealToken(new SecretBox([{ id: 'retired', key: randomBytes(32) }]));
      await waitFor(() => pipeline.senderCached(locked.id)?.unreadableSecrets, {
        message: 'the sender reading the webhook with its unreadable secret',
      });

      event = wmsEvent({ goodsOwnerId: 306 });
      await pipeline.publish([event]);
      await waitFor(() => delivered('/unlocked', event.eventId) === 1 || undefined, {
        message: 'the delivery to the other webhook',
      });
      const entry = await waitFor(
        () => quarantined.find((candidate) => candidate.errorCode === 'cannot-decrypt'),
        { message: 'the locked delivery quarantined' },
      );
      expect(entry).toMatchObject({
        service: 'sender',
        sourceTopic: pipeline.topics.deliveries,
        truncated: false,
        originalKey: Buffer.from(locked.id),
      });
      expect(entry.reason).toMatch(/key "retired", which is not in the keyring/);
      expect(delivered('/locked', event.eventId)).toBe(0);
      const logs = await waitFor(
        async () => {
          const response = await pipeline.api(`/api/webhooks/${locked.id}/logs`);
          const body = (await response.json()) as { items: Array<{ errorKind?: string; error: string }> };
          return body.items.length > 0 && body.items;
        },
        { message: 'the quarantined attempt in the logs' },
      );
      expect(logs[0]?.error).toMatch(/^not sent: a stored secret/);
    });

    it('lists it for an operator, who re-injects it once the key is back, and it is delivered', async () => {
      const { stdout: listed } = await quarantineTool('list');
      const line = listed.split('\n').find((candidate) => candidate.includes('cannot-decrypt'));
      expect(line).toContain(`${pipeline.topics.deliveries} (never produced)`);
      const position = line?.split(/\s+/)[0] as string;

      await sealToken(new SecretBox(parseKeyring(pipeline.env.WEBHOOKS_SECRET_KEYS as string)));
      await waitFor(() => pipeline.senderCached(locked.id)?.unreadableSecrets === undefined || undefined, {
        message: 'the sender reading the restored secret',
      });
      const { stdout } = await quarantineTool('reinject', position);
      expect(stdout).toContain(
        `re-injected ${position} (cannot-decrypt, from sender) into ${pipeline.topics.deliveries}`,
      );
      const arrived = await waitFor(
        () => receiver.at('/locked').find((request) => request.body.includes(event.eventId)),
        {
          message: 'the re-injected delivery',
        },
      );
      expect(arrived.headers['x-auth-token']).toBe('sealed-away');
    });
  });
});
