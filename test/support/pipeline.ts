import { newApiKey } from '@wms-webhooks/access';
import { startApi } from '@wms-webhooks/api';
import {
  catalogueSchema,
  type TopicNames,
  topicCatalogue,
  topicNames,
  type WmsEvent,
} from '@wms-webhooks/contracts';
import { startIngester } from '@wms-webhooks/ingester';
import { AvroTopicProducer, createDurableProducer } from '@wms-webhooks/kafka';
import { startMatcher } from '@wms-webhooks/matcher';
import { startNotifier } from '@wms-webhooks/notifier';
import { startRetrier } from '@wms-webhooks/retrier';
import { newSecretKey } from '@wms-webhooks/secrets';
import { startSender } from '@wms-webhooks/sender';
import type { ShutdownStep } from '@wms-webhooks/service-runtime';
import { MongoClient } from 'mongodb';
import { webhookBody } from './events';
import { testEndpoints, testKafka, testSerde } from './stack';
import { stackEnv } from './stack-env';
import { uniqueName } from './unique';
import { waitFor } from './wait-for';

/** The admin key every test pipeline seeds; tests of access control make scoped keys with it. */
export const testAdminKey = newApiKey();

/** Deletes a test's topics and drops its database; what is already gone is fine. */
export async function dropTestResources(topics: TopicNames, database: string) {
  const admin = testKafka('it-cleanup').admin();
  await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
  await admin.close();
  const client = new MongoClient(testEndpoints().mongodbUri);
  await client
    .db(database)
    .dropDatabase()
    .catch(() => undefined);
  await client.close();
}

/** A fresh topic prefix and database, and the variables every service of a test pipeline gets. */
export function pipelineEnv(overrides: Record<string, string> = {}) {
  const endpoints = testEndpoints();
  const prefix = `${uniqueName('it')}.`;
  const database = uniqueName('it').replaceAll('-', '_');
  const env: NodeJS.ProcessEnv = {
    ...stackEnv(endpoints, { prefix, database }),
    OPS_PORT: '0',
    API_PORT: '0',
    LOG_LEVEL: 'warn',
    // The receivers under test listen on loopback, which the SSRF guard refuses by default.
    WEBHOOKS_ALLOWED_TARGETS: '127.0.0.0/8,::1/128',
    WEBHOOKS_ADMIN_KEY: testAdminKey,
    WEBHOOKS_SECRET_KEYS: newSecretKey('test'),
    ...overrides,
  };
  return { env, prefix, database, endpoints };
}

/**
 * The four services, started in this process against the real stack, with their own topic prefix and
 * database; and a WMS-side producer writing to their wms.events.
 */
export async function startPipeline(
  overrides: Record<string, string> = {},
  options: { retriers?: boolean; sender?: boolean; notifier?: boolean } = {},
) {
  const { env, prefix, database, endpoints } = pipelineEnv(overrides);
  const api = await startApi(env);
  const [ingester, matcher, sender] = await Promise.all([
    startIngester(env),
    startMatcher(env),
    options.sender === false ? undefined : startSender(env),
  ]);
  const retriers = options.retriers
    ? await Promise.all(
        ['1m', '5m', '15m', '30m', '2h'].map((tier) => startRetrier({ ...env, RETRY_TIER: tier })),
      )
    : [];
  const notifier = options.notifier ? await startNotifier(env) : undefined;
  const caches = [matcher.cache, ...(sender ? [sender.cache] : [])];
  /** Waits until the in-process matcher and sender caches hold a webhook change (or its deletion). */
  const propagated = (id: string, version: number | 'deleted') =>
    version === 'deleted'
      ? waitFor(() => caches.every((cache) => !cache.get(id)) || undefined, {
          message: `webhook ${id} gone from the caches`,
        })
      : waitFor(() => caches.every((cache) => (cache.get(id)?.version ?? 0) >= version) || undefined, {
          message: `webhook ${id} v${version} in the caches`,
        });
  const topics = topicNames(prefix);
  const kafka = testKafka('it-wms-producer');
  const producer = createDurableProducer(kafka);
  const serde = testSerde();
  await serde.register(topics.wmsEvents, catalogueSchema(topicCatalogue(prefix).wmsEvents));
  const wms = new AvroTopicProducer<WmsEvent>(producer, serde, topics.wmsEvents);

  return {
    env,
    prefix,
    database,
    /** A client on the pipeline's own database, for tests that read what the services stored. */
    store: async () => {
      const client = new MongoClient(endpoints.mongodbUri);
      await client.connect();
      return { db: client.db(database), close: () => client.close() };
    },
    topics,
    apiUrl: api.url,
    /** Stops the replays the API runs, as its shutdown does, leaving them to another API. */
    stopApiReplays: () => api.replays.stop(),
    propagated,
    /** What the in-process sender's definition cache holds for a webhook. */
    senderCached: (id: string) => sender?.cache.get(id),
    senderOpsUrl: sender?.ops.url,
    /** Where each in-process service answers /metrics, /healthz and /readyz. */
    opsUrls: {
      api: api.url,
      ingester: ingester.ops.url,
      matcher: matcher.ops.url,
      ...(sender ? { sender: sender.ops.url } : {}),
    } as Record<string, string>,
    kafka,
    producer,
    serde,
    publish: (events: WmsEvent[]) => wms.send(events.map((event) => ({ key: event.entityId, value: event }))),
    /**
     * Calls the API. After a webhook is created, replaced or deleted it waits until the in-process
     * matcher and sender caches hold that change, so a test's next event meets the new definition;
     * `awaitPropagation: false` is for the test that measures that delay itself.
     */
    api: async (
      path: string,
      init: { method?: string; body?: unknown; awaitPropagation?: boolean; key?: string | null } = {},
    ) => {
      const method = init.method ?? 'GET';
      const key = init.key === undefined ? testAdminKey : init.key;
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers: {
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        },
        body:
          init.body === undefined
            ? undefined
            : typeof init.body === 'string'
              ? init.body
              : JSON.stringify(init.body),
      });
      const writesWebhook = method !== 'GET' && /^\/api\/webhooks(\/[^/]+(\/rotate-secret)?)?$/.test(path);
      if (init.awaitPropagation === false || !writesWebhook || !response.ok) return response;
      if (method === 'DELETE') {
        await propagated(path.split('/')[3] as string, 'deleted');
      } else {
        const { id, version } = (await response.clone().json()) as { id: string; version: number };
        await propagated(id, version);
      }
      return response;
    },
    /**
     * Creates a webhook from the test defaults and `overrides`, and waits until the services know it;
     * anything but 201 fails with the API's answer.
     */
    async createWebhook(overrides: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
      const response = await this.api('/api/webhooks', { method: 'POST', body: webhookBody(overrides) });
      if (response.status !== 201)
        throw new Error(`creating a webhook answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { id: string; version: number };
    },
    async stop() {
      const steps: ShutdownStep[] = [
        ingester,
        matcher,
        ...(sender ? [sender] : []),
        ...retriers,
        ...(notifier ? [notifier] : []),
        api,
      ].flatMap((service) => service.shutdownSteps);
      for (const step of steps) await step.run().catch(() => undefined);
      await producer.close();
      await dropTestResources(topics, database);
    },
  };
}

export type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
