import { randomUUID } from 'node:crypto';
import type { WebhookChange } from '@wms-webhooks/contracts';
import { InvalidInputError } from '@wms-webhooks/errors';
import {
  type AvroSerde,
  AvroTopicProducer,
  allReady,
  type DurableProducer,
  type KafkaClient,
  type LaneLogger,
  runLaneConsumer,
} from '@wms-webhooks/kafka';
import { DefinitionCache, type DefinitionSource } from './definition-cache';

/** Publishes a notice per definition change, keyed by webhook id so compaction keeps the latest. */
export class WebhookChangePublisher {
  private readonly topicProducer: AvroTopicProducer<WebhookChange>;

  constructor(producer: DurableProducer, serde: AvroSerde, topic: string) {
    this.topicProducer = new AvroTopicProducer<WebhookChange>(producer, serde, topic);
  }

  async publish(change: WebhookChange) {
    await this.topicProducer.send([{ key: change.webhookId, value: change }]);
  }
}

export interface DefinitionFollower {
  /** Resolves once the initial load is done; from then on the cache follows every change. */
  ready: Promise<void>;
  isReady(): boolean;
  stop(): Promise<void>;
}

export interface FollowOptions {
  kafka: KafkaClient;
  logger: LaneLogger;
  serde: AvroSerde;
  topic: string;
  cache: DefinitionCache;
  /** Names this instance's consumer group; each instance reads every change. */
  groupPrefix: string;
  resyncIntervalMs: number;
  onError: (error: unknown, context: string) => void;
}

/**
 * Keeps a DefinitionCache current. Every instance reads the whole compacted topic with a group of its
 * own (no offsets committed), while the full load from the store runs; notices that arrive before the
 * load finishes wait for it, then only those newer than the loaded versions cost a store read. A full
 * reload every `resyncIntervalMs` heals a notice that was never published.
 */
export async function followDefinitions(options: FollowOptions): Promise<DefinitionFollower> {
  const groupId = `${options.groupPrefix}-${randomUUID()}`;
  let loaded = false;
  let chain: Promise<unknown> = Promise.resolve();
  const ready = options.cache.reload().then(() => {
    loaded = true;
  });
  const serialise = (work: () => Promise<unknown>, context: string) => {
    chain = chain.then(work).catch((error: unknown) => options.onError(error, context));
    return chain;
  };

  const consumer = await runLaneConsumer({
    kafka: options.kafka,
    groupId,
    topic: options.topic,
    logger: options.logger,
    commit: false,
    startAt: 'earliest',
    // The topic is small and quiet: a long poll keeps what each idle instance costs the broker low.
    fetchMaxWaitMs: 500,
    prepare: allReady,
    handle: async (records) => {
      for (const record of records) {
        if (!record.value) continue;
        let change: WebhookChange;
        try {
          change = await options.serde.decode<WebhookChange>(record.value);
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          // Every instance reads this topic whole at every start, so filing it would file it again each
          // time; the periodic reload brings whatever webhook it was about up to date.
          options.onError(error, `passing over change notice ${record.partition}:${record.offset}`);
          continue;
        }
        await ready;
        await serialise(() => options.cache.apply(change), `applying change of webhook ${change.webhookId}`);
      }
    },
  });
  const timer = setInterval(() => {
    void serialise(() => options.cache.reload(), 'periodic definition reload');
  }, options.resyncIntervalMs);
  timer.unref();

  return {
    ready,
    isReady: () => loaded,
    stop: async () => {
      clearInterval(timer);
      await consumer.stop();
      await chain;
      // The group held no offsets; removing it keeps the cluster free of one empty group per restart.
      const admin = options.kafka.admin();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.close();
    },
  };
}

/** A readiness check: throws until the initial load of definitions is done. */
export function definitionsReady(follower: DefinitionFollower) {
  if (!follower.isReady()) throw new Error('definitions not loaded yet');
}

export interface LoadDefinitionsOptions extends Omit<FollowOptions, 'cache'> {
  source: DefinitionSource;
}

/** A definition cache, loaded and following changes; resolves once the initial load is done. */
export async function loadDefinitions(options: LoadDefinitionsOptions) {
  const cache = new DefinitionCache(options.source);
  const follower = await followDefinitions({ ...options, cache });
  await follower.ready;
  return { cache, follower };
}
