import { loadConfig } from '@wms-webhooks/config';
import type { DeliveryTask, WmsEvent } from '@wms-webhooks/contracts';
import { matchBatch } from '@wms-webhooks/delivery';
import { AvroTopicProducer } from '@wms-webhooks/kafka';
import { loadSecretBox } from '@wms-webhooks/secrets';
import { consume, createServiceContext, decodedRecords, serveConsumer } from '@wms-webhooks/service-runtime';
import { definitionsReady, followServiceDefinitions } from '@wms-webhooks/webhooks';
import { Counter, Histogram } from 'prom-client';
import { matcherEnv } from './env';

export async function startMatcher(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(matcherEnv, env);
  const secrets = loadSecretBox(config);
  const context = await createServiceContext('matcher', config);
  const { logger, metrics, topics } = context;
  const matchesPerEvent = new Histogram({
    name: 'wms_webhooks_match_webhooks_per_event',
    help: 'How many webhooks each event matched.',
    buckets: [0, 1, 2, 5, 10, 20, 50, 100],
    registers: [metrics],
  });
  const emitted = new Counter({
    name: 'wms_webhooks_match_deliveries_emitted_total',
    help: 'Delivery tasks produced.',
    registers: [metrics],
  });

  const { cache, follower } = await followServiceDefinitions(context, {
    role: 'matcher',
    resyncIntervalMs: config.DEFINITIONS_RESYNC_MS,
    secrets,
  });
  const deliveries = new AvroTopicProducer<DeliveryTask>(context.producer, context.serde, topics.deliveries, {
    divertOversize: context.quarantine.oversize,
  });

  const { consumer, group } = await consume<WmsEvent>(context, {
    groupId: config.MATCHER_GROUP_ID,
    topic: topics.acceptedEvents,
    prepare: decodedRecords((record) => context.quarantine.decode<WmsEvent>(record)),
    handle: (events) =>
      matchBatch(
        {
          webhooksFor: (eventType) => cache.forEventType(eventType),
          send: (records) => deliveries.send(records),
          now: Date.now,
          matched: (count) => matchesPerEvent.observe(count),
          emitted: (count) => emitted.inc(count),
        },
        events,
      ),
  });
  const { ops, shutdownSteps } = await serveConsumer({
    context,
    host: config.OPS_HOST,
    port: config.OPS_PORT,
    consumer,
    group,
    inFlight: 'the batch in flight',
    readiness: { definitions: () => definitionsReady(follower) },
    stopSteps: [{ name: 'stop following definitions', run: () => follower.stop() }],
  });
  logger.info({ ops: ops.url, definitions: cache.size }, 'matcher running');
  return { context, ops, cache, shutdownSteps, timeoutMs: config.SHUTDOWN_TIMEOUT_MS };
}
