import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogueSchema, topicCatalogue, topicNames, type WmsEvent } from '@wms-webhooks/contracts';
import { AvroTopicProducer, createDurableProducer } from '@wms-webhooks/kafka';
import { launchService, type RunningService, waitUntilReady } from '@wms-webhooks/tools';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody, wmsEvent } from '../support/events';
import { freePort } from '../support/free-port';
import { Mailbox } from '../support/mailbox';
import { dropTestResources, pipelineEnv, testAdminKey } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { testKafka, testSerde } from '../support/stack';
import { readTopics } from '../support/topic-reader';
import { uniqueName } from '../support/unique';
import { waitFor } from '../support/wait-for';

const planted = {
  password: `canary-password-${uniqueName('p')}`,
  newPassword: `canary-password-2-${uniqueName('p')}`,
  token: `canary-token-${uniqueName('t')}`,
};

/**
 * Every service as its own process at LOG_LEVEL=debug, a webhook's life through the API (create, update,
 * Test, rotate, deliveries, retries, a dead letter and its email), then a search for the planted
 * credentials in everything the system exposes or keeps.
 */
describe('planted secrets', () => {
  const { env, prefix, database, endpoints } = pipelineEnv({
    LOG_LEVEL: 'debug',
    WEBHOOKS_TIME_SCALE: '0.001',
    NOTIFY_FLUSH_EVERY_MS: '200',
  });
  const topics = topicNames(prefix);
  const receiver = new Receiver();
  const mailbox = new Mailbox();
  const running: RunningService[] = [];
  const responses: Array<{ path: string; body: string }> = [];
  const signingSecrets: string[] = [];
  let apiUrl = '';
  let matcherUrl = '';
  let senderUrl = '';
  let logsDir = '';

  const call = async (path: string, method = 'GET', body?: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${testAdminKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    responses.push({ path: `${method} ${path}`, body: text });
    return { status: response.status, json: () => JSON.parse(text) as Record<string, unknown> };
  };

  const launch = async (name: string, extra: Record<string, string> = {}) => {
    const port = await freePort();
    const service = launchService(
      {
        name,
        label: extra.RETRY_TIER ? `retrier-${extra.RETRY_TIER}` : name,
        readyUrl: `http://127.0.0.1:${port}/readyz`,
        env: {
          ...process.env,
          ...env,
          ...(name === 'api' ? { API_PORT: String(port) } : { OPS_PORT: String(port) }),
          ...extra,
        } as NodeJS.ProcessEnv,
      },
      logsDir,
    );
    running.push(service);
    await waitUntilReady(service, 90_000);
    return `http://127.0.0.1:${port}`;
  };

  beforeAll(async () => {
    await Promise.all([receiver.start(), mailbox.start()]);
    logsDir = await mkdtemp(join(tmpdir(), 'it-leak-'));
    apiUrl = await launch('api');
    [, matcherUrl, senderUrl] = await Promise.all([
      launch('ingester'),
      launch('matcher'),
      launch('sender'),
      launch('retrier', { RETRY_TIER: '1m' }),
      launch('notifier', { SMTP_URL: mailbox.url }),
    ]);
  }, 240_000);

  afterAll(async () => {
    for (const service of running) service.child.kill('SIGTERM');
    await Promise.all(running.map((service) => service.exited));
    await Promise.all([receiver.stop(), mailbox.stop()]);
    await dropTestResources(topics, database);
  });

  it('appear nowhere but in the requests to the receiver', async () => {
    receiver.respondInTurn('/basic', [500, 200]);
    receiver.respondWith('/token', 500);
    const basic = await call(
      '/api/webhooks',
      'POST',
      webhookBody({
        goodsOwnerIds: [601],
        url: receiver.url('/basic'),
        retryPolicy: 'one-day',
        auth: { type: 'basic', username: 'svc', password: planted.password },
      }),
    );
    const token = await call(
      '/api/webhooks',
      'POST',
      webhookBody({
        goodsOwnerIds: [601],
        url: receiver.url('/token'),
        auth: { type: 'token', token: planted.token },
      }),
    );
    expect([basic.status, token.status]).toEqual([201, 201]);
    const basicId = basic.json().id as string;
    const tokenId = token.json().id as string;
    signingSecrets.push(basic.json().signingSecret as string, token.json().signingSecret as string);

    const updated = await call(
      `/api/webhooks/${basicId}`,
      'PUT',
      webhookBody({
        goodsOwnerIds: [601],
        url: receiver.url('/basic'),
        retryPolicy: 'one-day',
        auth: { type: 'basic', username: 'svc', password: planted.newPassword },
      }),
    );
    expect(updated.status).toBe(200);
    const rotated = await call(`/api/webhooks/${tokenId}/rotate-secret`, 'POST');
    signingSecrets.push(rotated.json().signingSecret as string);
    await call(`/api/webhooks/${tokenId}/test`, 'POST');

    // The services learn of webhooks from the change feed: the event is matched only once both know them.
    const cached = async (url: string) =>
      Number(
        /^wms_webhooks_definitions_cached\{[^}]*\} (\d+)/m.exec(
          await (await fetch(`${url}/metrics`)).text(),
        )?.[1],
      );
    await waitFor(async () => (await cached(matcherUrl)) >= 2 && (await cached(senderUrl)) >= 2, {
      message: 'the matcher and the sender to know both webhooks',
    });
    const kafka = testKafka('it-leak-wms');
    const producer = createDurableProducer(kafka);
    const serde = testSerde();
    await serde.register(topics.wmsEvents, catalogueSchema(topicCatalogue(prefix).wmsEvents));
    const wms = new AvroTopicProducer<WmsEvent>(producer, serde, topics.wmsEvents);
    await wms.send([{ key: 'ORD-leak', value: wmsEvent({ goodsOwnerId: 601 }) }]);
    await producer.close();

    await waitFor(() => (receiver.at('/basic').length >= 2 ? true : undefined), { timeoutMs: 30_000 });
    await waitFor(() => (mailbox.messages.length > 0 ? true : undefined), { timeoutMs: 30_000 });
    for (const id of [basicId, tokenId]) {
      await call(`/api/webhooks/${id}`);
      const logs = (await call(`/api/webhooks/${id}/logs`)).json() as { items: Array<{ id: string }> };
      expect(logs.items.length).toBeGreaterThan(0);
      for (const item of logs.items) await call(`/api/webhooks/${id}/logs/${item.id}`);
    }
    await call('/api/webhooks');
    await call('/api/webhooks?goodsOwnerId=601');

    const basicAuth = (password: string) => Buffer.from(`svc:${password}`).toString('base64');
    const credentials = [
      planted.password,
      planted.newPassword,
      planted.token,
      basicAuth(planted.password),
      basicAuth(planted.newPassword),
    ];
    const details = responses.filter((response) => /\/logs\/[0-9a-f]{24}$/.test(response.path));
    expect(details.some((detail) => detail.body.includes('"exchange":{'))).toBe(true);
    expect(receiver.at('/basic').at(-1)?.headers.authorization).toBe(
      `Basic ${Buffer.from(`svc:${planted.newPassword}`).toString('base64')}`,
    );

    for (const response of responses) {
      for (const secret of credentials) expect(response.body, response.path).not.toContain(secret);
      const shownOnce = /^POST \/api\/webhooks(\/[^/]+\/rotate-secret)?$/.test(response.path);
      if (!shownOnce)
        for (const secret of signingSecrets) expect(response.body, response.path).not.toContain(secret);
    }

    const onTopics = await readAll(Object.values(topics));
    expect(onTopics.records).toBeGreaterThan(0);
    for (const secret of [...credentials, ...signingSecrets]) expect(onTopics.text).not.toContain(secret);

    for (const service of running) {
      const log = await readFile(service.logFile, 'utf8');
      expect(log.length).toBeGreaterThan(0);
      for (const secret of [...credentials, ...signingSecrets])
        expect(log, service.logFile).not.toContain(secret);
    }

    for (const message of mailbox.messages) {
      for (const secret of [...credentials, ...signingSecrets]) expect(message.text).not.toContain(secret);
    }

    const client = new MongoClient(endpoints.mongodbUri);
    try {
      const db = client.db(database);
      const kept = (await db.listCollections({}, { nameOnly: true }).toArray())
        .map((collection) => collection.name)
        .filter((name) => name === 'webhooks' || /^(delivery_attempts|webhook_recent)\./.test(name));
      expect(kept.some((name) => name.startsWith('delivery_attempts.'))).toBe(true);
      for (const name of kept) {
        const stored = JSON.stringify(await db.collection(name).find({}).toArray());
        for (const secret of [...credentials, ...signingSecrets]) expect(stored, name).not.toContain(secret);
      }
    } finally {
      await client.close();
    }
  });
});

/** Every record of the topics from the start, keys, values and headers as raw bytes (Avro strings are UTF-8). */
async function readAll(names: string[]): Promise<{ text: string; records: number }> {
  const records = await readTopics(testKafka('it-leak-reader'), names);
  const chunks = records.flatMap((record) => [
    record.key?.toString('utf8') ?? '',
    record.value?.toString('utf8') ?? '',
    ...Object.values(record.headers).map((value) => value.toString('utf8')),
  ]);
  return { text: chunks.join('\n'), records: records.length };
}
