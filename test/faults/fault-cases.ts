import type { WmsEvent } from '@wms-webhooks/contracts';
import { loadStackLayout, stackUp, stopComponent } from '@wms-webhooks/local-stack';
import { webhookBody, wmsEvent } from '../support/events';
import { endlessMapRecord } from '../support/poison';
import type { FaultPipeline } from './fault-pipeline';

export interface CaseResult {
  name: string;
  published: number;
  expected: number;
  delivered: number;
  duplicates: number;
  lost: number;
  quarantined: number;
  invalid: number;
  longestStallSeconds: number;
  stallAt: string;
  checks: Array<{ what: string; ok: boolean }>;
  notes: string[];
}

export interface FaultCase {
  name: string;
  /** What it does, for the report. */
  summary: string;
  /** Variables its services need beyond the defaults. */
  env?: Record<string, string>;
  /** Runs on a three-node Kafka cluster started beside the stack for it, not on the stack's broker. */
  threeNodeCluster?: boolean;
  run(
    pipeline: FaultPipeline,
    short: boolean,
  ): Promise<
    Omit<CaseResult, 'name' | 'longestStallSeconds' | 'stallAt' | 'quarantined' | 'invalid'> & {
      expectFiled?: { quarantined: number; invalid: number };
    }
  >;
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Polls until the condition holds or the time is up; returns whether it held. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await pause(250);
  }
  return false;
}

/** Waits for every expected delivery, then for the sender to have consumed all, so late repeats are counted. */
async function settle(
  pipeline: FaultPipeline,
  expected: ReadonlySet<string>,
  timeoutMs: number,
  counted: 'accepted' | 'attempted' = 'accepted',
) {
  await until(() => pipeline.receiver.tally(expected, counted).missing === 0, timeoutMs);
  await until(async () => (await pipeline.lag('sender', pipeline.topics.deliveries)) === 0, 30_000);
  return pipeline.receiver.tally(expected, counted);
}

/**
 * Publishes events at a steady rate for a while without waiting for each send: during an outage the
 * producer holds them and sends them once the cluster is back, as a WMS producer would.
 */
function steadyFlow(pipeline: FaultPipeline, ratePerSecond: number, owner: number) {
  const events: WmsEvent[] = [];
  const sends: Promise<void>[] = [];
  let running = true;
  const loop = (async () => {
    for (let index = 0; running; index++) {
      const event = wmsEvent({ goodsOwnerId: owner, entityId: `ORD-${owner}-${index % 50}` });
      events.push(event);
      sends.push(pipeline.publish([event]));
      await pause(1_000 / ratePerSecond);
    }
  })();
  return {
    events,
    async stop() {
      running = false;
      await loop;
      await Promise.all(sends);
    },
  };
}

function result(
  expected: ReadonlySet<string>,
  tally: { arrived: number; missing: number; duplicates: number },
  published: number,
  checks: CaseResult['checks'] = [],
  notes: string[] = [],
) {
  return {
    published,
    expected: expected.size,
    delivered: tally.arrived,
    duplicates: tally.duplicates,
    lost: tally.missing,
    checks,
    notes,
  };
}

/**
 * Stops a service, publishes the events, waits until the service before it has passed them all on, so
 * the whole backlog waits for the stopped one, and starts it again.
 */
async function backlogWhileStopped(
  pipeline: FaultPipeline,
  service: 'matcher' | 'sender',
  events: WmsEvent[],
) {
  await pipeline.stopService(service);
  for (let from = 0; from < events.length; from += 500)
    await pipeline.publish(events.slice(from, from + 500));
  const upstream =
    service === 'matcher'
      ? { service: 'ingester' as const, topic: pipeline.topics.wmsEvents }
      : { service: 'matcher' as const, topic: pipeline.topics.acceptedEvents };
  await until(async () => (await pipeline.lag(upstream.service, upstream.topic)) === 0, 60_000);
  pipeline.monitor.faultBegins();
  await pipeline.startService(service);
  pipeline.monitor.faultEnds();
}

interface Outage {
  begin(): Promise<unknown>;
  /** Brings back what `begin` took away; resolves once it is ready. */
  end(): Promise<unknown>;
  /**
   * Whether progress is impossible meanwhile, so the monitor's limit is lifted until `end`. Not so for
   * one node of three: two hold every partition.
   */
  stopsProgress: boolean;
}

/** A stack component stopped (SIGTERM) and started again. */
function componentOutage(component: 'kafka' | 'ferretdb'): Outage {
  const layout = loadStackLayout();
  return {
    begin: () => stopComponent(layout, component),
    end: () => stackUp(layout),
    stopsProgress: true,
  };
}

/**
 * A steady flow to one webhook with an outage in its middle. Also says how long the outage lasted, restart
 * included, and the longest pause between deliveries from its start to the end of the flow.
 */
async function outageDuringFlow(
  pipeline: FaultPipeline,
  owner: number,
  outage: Outage,
  timing: { beforeMs: number; downMs: number; afterMs: number },
) {
  const [webhookId] = await pipeline.createWebhooks([
    webhookBody({ goodsOwnerIds: [owner], url: pipeline.receiver.url(`/steady-${owner}`) }),
  ]);
  const flow = steadyFlow(pipeline, 20, owner);
  await pause(timing.beforeMs);
  if (outage.stopsProgress) pipeline.monitor.faultBegins();
  const beganAt = Date.now();
  await outage.begin();
  await pause(timing.downMs);
  await outage.end();
  const endedAt = Date.now();
  if (outage.stopsProgress) pipeline.monitor.faultEnds();
  await pause(timing.afterMs);
  await flow.stop();
  const flowEndedAt = Date.now();
  const expected = pipeline.expectedIds(flow.events, [webhookId as string]);
  return {
    expected,
    tally: await settle(pipeline, expected, 180_000),
    published: flow.events.length,
    outageMs: endedAt - beganAt,
    longestPauseMs: pipeline.receiver.longestPauseMs(beganAt, flowEndedAt),
  };
}

/** A repeat is a delivery sent again after a crash, a rebalance or a retry of an unanswered request: rare, never many. */
function duplicatesAtMost(percent: number, expected: ReadonlySet<string>, tally: { duplicates: number }) {
  const share = tally.duplicates / Math.max(1, expected.size);
  return {
    what: `duplicates ${(share * 100).toFixed(2)}% of deliveries, at most ${percent}%`,
    ok: share <= percent / 100,
  };
}

export const faultCases: FaultCase[] = [
  {
    name: 'poison-corpus',
    summary:
      'a 77-byte endless map, a 1,000,000-byte record and garbage on wms.events; garbage on webhooks.events, webhooks.deliveries, every retry tier, webhooks.dead and webhooks.definitions; valid events between them',
    async run(pipeline, short) {
      const [webhookId] = await pipeline.createWebhooks([
        webhookBody({ goodsOwnerIds: [11], url: pipeline.receiver.url('/poison') }),
      ]);
      const { topics } = pipeline;
      let healthFailures = 0;
      let watching = true;
      const watch = (async () => {
        while (watching) {
          if (!(await pipeline.healthz('ingester'))) healthFailures += 1;
          await pause(250);
        }
      })();
      const garbage = (label: string) => Buffer.from(`not avro: ${label}`);
      const poison: Array<[string, Buffer, string]> = [
        [topics.wmsEvents, endlessMapRecord(pipeline.serde.schemaId(topics.wmsEvents)), 'ORD-P'],
        [topics.wmsEvents, Buffer.alloc(1_000_000, 7), 'ORD-P'],
        [topics.wmsEvents, garbage('wms.events'), 'ORD-P'],
        [topics.acceptedEvents, garbage('webhooks.events'), 'ORD-P'],
        [topics.deliveries, garbage('webhooks.deliveries'), webhookId as string],
        ...(['retry1m', 'retry5m', 'retry15m', 'retry30m', 'retry2h'] as const).map(
          (tier): [string, Buffer, string] => [topics[tier], garbage(tier), webhookId as string],
        ),
        [topics.dead, garbage('webhooks.dead'), webhookId as string],
        [topics.definitions, garbage('webhooks.definitions'), webhookId as string],
      ];
      const events: WmsEvent[] = [];
      const rounds = short ? poison.length : 40;
      for (let round = 0; round < rounds; round++) {
        const event = wmsEvent({ goodsOwnerId: 11, entityId: 'ORD-P' });
        events.push(event);
        await pipeline.publish([event]);
        const [topic, value, key] = poison[round % poison.length] as [string, Buffer, string];
        if (round < poison.length) await pipeline.sendRaw(topic, [{ key, value }]);
      }
      const expected = pipeline.expectedIds(events, [webhookId as string]);
      const tally = await settle(pipeline, expected, 60_000);
      watching = false;
      await watch;
      return {
        ...result(
          expected,
          tally,
          events.length + poison.length,
          [
            {
              what: `ingester /healthz answered throughout (${healthFailures} failures)`,
              ok: healthFailures === 0,
            },
          ],
          [
            'webhooks.definitions: the change feed passes over an undecodable notice (logged); every instance reads it whole at start, so it is not filed',
          ],
        ),
        expectFiled: { quarantined: 8, invalid: 3 },
      };
    },
  },
  {
    name: 'large-fan-out',
    summary:
      "one valid 250 KB event matching 60 webhooks of one owner, then another owner's event on the same partition",
    async run(pipeline) {
      const fanOut = await pipeline.createWebhooks(
        Array.from({ length: 60 }, () =>
          webhookBody({ goodsOwnerIds: [12], url: pipeline.receiver.url('/fan-out') }),
        ),
      );
      const other = await pipeline.createWebhooks([
        webhookBody({ goodsOwnerIds: [13], url: pipeline.receiver.url('/other') }),
      ]);
      const large = wmsEvent({
        goodsOwnerId: 12,
        entityId: 'ORD-F',
        payload: JSON.stringify({ pad: 'x'.repeat(250_000) }),
      });
      const small = wmsEvent({ goodsOwnerId: 13, entityId: 'ORD-F' });
      await pipeline.publish([large, small]);
      const expected = new Set([
        ...pipeline.expectedIds([large], fanOut),
        ...pipeline.expectedIds([small], other),
      ]);
      return result(expected, await settle(pipeline, expected, 120_000), 2);
    },
  },
  {
    name: 'matcher-restart-backlog',
    summary:
      'the matcher stopped while one owner publishes small events, all keyed alike, matching one webhook, then started',
    async run(pipeline, short) {
      const [webhookId] = await pipeline.createWebhooks([
        webhookBody({ goodsOwnerIds: [14], url: pipeline.receiver.url('/backlog') }),
      ]);
      // Keyed alike, as a WMS that keys by goods owner does: the backlog lands on one partition, so the
      // matcher's first fetch there is a full 1 MB and its tasks for one webhook more than a batch takes.
      const events = Array.from({ length: short ? 4_000 : 10_000 }, () =>
        wmsEvent({ goodsOwnerId: 14, entityId: 'OWNER-14' }),
      );
      await backlogWhileStopped(pipeline, 'matcher', events);
      const expected = pipeline.expectedIds(events, [webhookId as string]);
      return result(expected, await settle(pipeline, expected, 300_000), events.length);
    },
  },
  {
    name: 'sender-restart-retry-backlog',
    summary:
      'the sender stopped while tasks build up for a receiver answering 500 (one-day policy), then started',
    async run(pipeline, short) {
      pipeline.receiver.failOn('/failing');
      const [webhookId] = await pipeline.createWebhooks([
        webhookBody({ goodsOwnerIds: [15], url: pipeline.receiver.url('/failing'), retryPolicy: 'one-day' }),
      ]);
      const events = Array.from({ length: short ? 3_000 : 6_000 }, (_, index) =>
        wmsEvent({ goodsOwnerId: 15, entityId: `ORD-R-${index}` }),
      );
      await backlogWhileStopped(pipeline, 'sender', events);
      const expected = pipeline.expectedIds(events, [webhookId as string]);
      const tally = await settle(pipeline, expected, 300_000, 'attempted');
      return result(
        expected,
        tally,
        events.length,
        [],
        [
          'delivered counts first attempts answered 500; each must have scheduled its retry for the sender to commit',
        ],
      );
    },
  },
  {
    name: 'broker-restart',
    summary: 'the broker stopped and started again during a steady 20 events/s flow',
    async run(pipeline, short) {
      const { expected, tally, published } = await outageDuringFlow(pipeline, 16, componentOutage('kafka'), {
        beforeMs: short ? 10_000 : 30_000,
        downMs: short ? 10_000 : 30_000,
        afterMs: short ? 10_000 : 30_000,
      });
      return result(expected, tally, published, [duplicatesAtMost(1, expected, tally)]);
    },
  },
  {
    name: 'cluster-broker-kill',
    summary:
      'SIGKILL of one of three brokers (3 copies, 2 in sync) during a steady 20 events/s flow, then started again',
    threeNodeCluster: true,
    env: { KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' },
    async run(pipeline, short) {
      const { cluster } = pipeline;
      if (!cluster) throw new Error('cluster-broker-kill runs on a three-node cluster');
      const { expected, tally, published, outageMs, longestPauseMs } = await outageDuringFlow(
        pipeline,
        19,
        { begin: () => cluster.kill('kafka-2'), end: () => cluster.restart(), stopsProgress: false },
        {
          beforeMs: short ? 10_000 : 30_000,
          downMs: short ? 20_000 : 60_000,
          afterMs: short ? 10_000 : 30_000,
        },
      );
      const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      const pauseLimitMs = 60_000;
      return result(
        expected,
        tally,
        published,
        [
          duplicatesAtMost(1, expected, tally),
          // Two nodes still hold every partition: a pause is the fencing of the dead one (9 s) and the clients
          // finding the new leaders, not the outage.
          {
            what: `deliveries paused at most ${seconds(pauseLimitMs)} after the kill (longest ${seconds(longestPauseMs)})`,
            ok: longestPauseMs <= pauseLimitMs,
          },
        ],
        [
          `deliveries paused for at most ${seconds(longestPauseMs)} from the kill of kafka-2 to the end of the flow`,
          `kafka-2 was down ${seconds(outageMs)}, restart included`,
        ],
      );
    },
  },
  {
    name: 'store-outage',
    summary: 'the store (FerretDB) stopped during a steady 20 events/s flow, then started again',
    async run(pipeline, short) {
      const { expected, tally, published } = await outageDuringFlow(
        pipeline,
        17,
        componentOutage('ferretdb'),
        {
          beforeMs: short ? 5_000 : 15_000,
          downMs: short ? 15_000 : 60_000,
          afterMs: short ? 5_000 : 15_000,
        },
      );
      return result(expected, tally, published);
    },
  },
  {
    name: 'scale-out-and-in',
    summary:
      'a second matcher and sender join during a steady 50 events/s flow, and leave again: two rebalances of each group',
    async run(pipeline, short) {
      const ids = await pipeline.createWebhooks([
        webhookBody({ goodsOwnerIds: [20], url: pipeline.receiver.url('/scaled') }),
        webhookBody({ goodsOwnerIds: [20], url: pipeline.receiver.url('/scaled-too') }),
      ]);
      const flow = steadyFlow(pipeline, 50, 20);
      const gap = short ? 6_000 : 20_000;
      await pause(gap);
      await Promise.all([pipeline.startService('matcher-2'), pipeline.startService('sender-2')]);
      await pause(gap);
      await Promise.all([pipeline.stopService('matcher-2'), pipeline.stopService('sender-2')]);
      await pause(gap);
      await flow.stop();
      const expected = pipeline.expectedIds(flow.events, ids);
      const tally = await settle(pipeline, expected, 120_000);
      return result(expected, tally, flow.events.length, [duplicatesAtMost(0.5, expected, tally)]);
    },
  },
  {
    name: 'sigkill-each-service',
    summary:
      'SIGKILL of the ingester, the matcher, the sender and the 1m retrier in turn during a steady flow, each started again',
    env: { WEBHOOKS_TIME_SCALE: '0.01' },
    async run(pipeline, short) {
      pipeline.receiver.failOn('/flaky');
      const ids = await pipeline.createWebhooks([
        webhookBody({ goodsOwnerIds: [18], url: pipeline.receiver.url('/steady') }),
        webhookBody({ goodsOwnerIds: [18], url: pipeline.receiver.url('/flaky'), retryPolicy: 'one-day' }),
      ]);
      const flow = steadyFlow(pipeline, 20, 18);
      const gap = short ? 4_000 : 8_000;
      for (const label of ['ingester', 'matcher', 'sender', 'retrier-1m'] as const) {
        await pause(gap);
        pipeline.monitor.faultBegins();
        await pipeline.killService(label);
        await pipeline.startService(label);
        pipeline.monitor.faultEnds();
      }
      pipeline.receiver.succeedOn('/flaky');
      await pause(gap);
      await flow.stop();
      const expected = pipeline.expectedIds(flow.events, ids);
      return result(
        expected,
        await settle(pipeline, expected, 180_000),
        flow.events.length,
        [],
        [
          'the second webhook answered 500 until the last kill, so its deliveries went through the 1m tier (time scale 0.01)',
        ],
      );
    },
  },
];
