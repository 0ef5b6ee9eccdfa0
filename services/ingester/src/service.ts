import { loadConfig } from '@wms-webhooks/config';
import { type InvalidWmsEvent, maxMessageBytes, type WmsEvent } from '@wms-webhooks/contracts';
import { checkPayloadLimit, processWmsRecords } from '@wms-webhooks/ingest';
import { AvroTopicProducer, copyRoomIn } from '@wms-webhooks/kafka';
import { allReady, consume, createServiceContext, serveConsumer } from '@wms-webhooks/service-runtime';
import { Counter } from 'prom-client';
import { ingesterEnv } from './env';

export async function startIngester(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(ingesterEnv, env);
  checkPayloadLimit(config.INGEST_MAX_PAYLOAD_BYTES, maxMessageBytes);
  const context = await createServiceContext('ingester', config);
  const { logger, metrics, topics } = context;
  const consumed = new Counter({
    name: 'wms_webhooks_ingest_events_consumed_total',
    help: 'Records read from wms.events.',
    registers: [metrics],
  });
  const ingested = new Counter({
    name: 'wms_webhooks_ingest_events_ingested_total',
    help: 'Events accepted and forwarded.',
    registers: [metrics],
  });
  const rejected = new Counter({
    name: 'wms_webhooks_ingest_events_invalid_total',
    help: 'Records filed in wms.events.invalid, by reason.',
    labelNames: ['reason'],
    registers: [metrics],
  });
  const divertOversize = context.quarantine.oversize;
  const accepted = new AvroTopicProducer<WmsEvent>(context.producer, context.serde, topics.acceptedEvents, {
    divertOversize,
  });
  const invalid = new AvroTopicProducer<InvalidWmsEvent>(
    context.producer,
    context.serde,
    topics.wmsEventsInvalid,
    { divertOversize },
  );

  const { consumer, group } = await consume(context, {
    groupId: config.INGESTER_GROUP_ID,
    topic: topics.wmsEvents,
    prepare: allReady,
    handle: async (messages, source) => {
      consumed.inc(messages.length);
      const result = await processWmsRecords(
        {
          serde: context.serde,
          limits: { maxPayloadBytes: config.INGEST_MAX_PAYLOAD_BYTES },
          invalidCopyRoomBytes: copyRoomIn(maxMessageBytes),
          now: Date.now,
          forwardAccepted: async (records) => void (await accepted.send(records)),
          forwardInvalid: async (records) => void (await invalid.send(records)),
        },
        messages,
        source,
      );
      ingested.inc(result.accepted.length);
      for (const record of result.invalid) {
        rejected.inc({ reason: record.errorCode });
        logger.warn(
          { reason: record.reason, errorCode: record.errorCode, offset: record.sourceOffset, ...source },
          'invalid record filed',
        );
      }
    },
  });
  const { ops, shutdownSteps } = await serveConsumer({
    context,
    host: config.OPS_HOST,
    port: config.OPS_PORT,
    consumer,
    group,
    inFlight: 'the batch in flight',
  });
  logger.info({ ops: ops.url, topic: topics.wmsEvents }, 'ingester running');
  return { context, ops, shutdownSteps, timeoutMs: config.SHUTDOWN_TIMEOUT_MS };
}
