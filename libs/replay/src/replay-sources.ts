import type { DeliveryTask, WmsEvent } from '@wms-webhooks/contracts';
import { type AttemptLogRepository, deliveryLane, planDeliveries, resendTask } from '@wms-webhooks/delivery';
import { InvalidInputError } from '@wms-webhooks/errors';
import { type IngestLimits, validateWmsEvent } from '@wms-webhooks/ingest';
import { type AvroSerde, type KafkaClient, type LaneLogger, readWindow } from '@wms-webhooks/kafka';
import type { Webhook } from '@wms-webhooks/webhooks';
import type { ReplayRequest } from './replay-request';

/** One delivery a replay sends: its task, and its record key on webhooks.deliveries (its lane). */
export interface ReplayItem {
  key: string;
  task: DeliveryTask;
}

export interface SourceDeps {
  attemptLogs: Pick<AttemptLogRepository, 'finalFailures'>;
  kafka: KafkaClient;
  serde: AvroSerde;
  /** wms.events, with the environment's prefix. */
  eventsTopic: string;
  /** The environment's topic prefix, which every consumer group carries. */
  groupPrefix: string;
  /** The ingester's: an event it would have refused is not replayed either. */
  limits: IngestLimits;
  logger: LaneLogger;
  now: () => number;
}

export interface SourceVisitor {
  /** Called as records are read, with how many. */
  scanned: (count: number) => void;
  /** Called for each delivery to send, in the order read; the next waits for it. */
  visit: (item: ReplayItem) => Promise<void>;
}

/**
 * Producers stamp a record when they send it, a moment after the event occurred: the log is read this
 * much wider than the window, and each event is kept or passed over by its own time.
 */
const recordTimeSlackMs = 15 * 60_000;

/** Names what a replay reads: the webhook, the window and the source, and the replay's id. */
export interface ReplayScope {
  replayId: string;
  webhook: Webhook;
  request: Pick<ReplayRequest, 'from' | 'to' | 'source'>;
}

/** Walks what a replay sends, from its source, until the end or until the signal aborts it. */
export async function visitReplay(
  deps: SourceDeps,
  scope: ReplayScope,
  signal: AbortSignal,
  visitor: SourceVisitor,
): Promise<void> {
  if (scope.request.source === 'failed') return visitFailures(deps, scope, signal, visitor);
  return visitLoggedEvents(deps, scope, signal, visitor);
}

/** Every final failure of the window that keeps its event, as a resend: the next attempt, one try. */
async function visitFailures(
  deps: SourceDeps,
  { replayId, webhook, request }: ReplayScope,
  signal: AbortSignal,
  visitor: SourceVisitor,
) {
  for await (const failure of deps.attemptLogs.finalFailures(webhook.id, request.from, request.to)) {
    if (signal.aborted) return;
    visitor.scanned(1);
    const task = resendTask([failure], deps.now(), replayId);
    if (task) await visitor.visit({ key: deliveryLane(webhook, task.deliveryId), task });
  }
}

/**
 * Every event of the window still on wms.events that the webhook's definition as it is now matches, as a
 * first attempt under the delivery id it had (or would have had) live, so a receiver that has it already
 * can tell. Records are read once each, in partition order; a batch read again after a failed step is
 * passed over up to where it got.
 */
async function visitLoggedEvents(
  deps: SourceDeps,
  { replayId, webhook, request }: ReplayScope,
  signal: AbortSignal,
  visitor: SourceVisitor,
) {
  // Matching needs it enabled; a dry run may preview a webhook still disabled.
  const candidate: Webhook = { ...webhook, enabled: true };
  const from = request.from.getTime();
  const to = request.to.getTime();
  const handled = new Map<number, bigint>();
  await readWindow(
    deps.kafka,
    deps.eventsTopic,
    {
      groupId: `${deps.groupPrefix}wms-webhooks-replay-${replayId}`,
      fromTime: from - recordTimeSlackMs,
      untilTime: Math.min(to + recordTimeSlackMs, deps.now()),
      logger: deps.logger,
      signal,
    },
    async (records, { partition }) => {
      for (const record of records) {
        const offset = BigInt(record.offset);
        if (signal.aborted) return;
        if (offset < (handled.get(partition) ?? 0n)) continue;
        visitor.scanned(1);
        const event = await validEvent(deps, record.value);
        if (event && event.occurredAt >= from && event.occurredAt <= to) {
          for (const { key, value } of planDeliveries([candidate], event, deps.now())) {
            await visitor.visit({ key, task: { ...value, origin: 'api-replay', replayId } });
          }
        }
        handled.set(partition, offset + 1n);
      }
    },
  );
}

/** The event, or undefined for a record the ingester refused (it is in wms.events.invalid). */
async function validEvent(deps: SourceDeps, value: Buffer | null): Promise<WmsEvent | undefined> {
  try {
    return validateWmsEvent(await deps.serde.decode(value), deps.limits);
  } catch (error) {
    if (error instanceof InvalidInputError) return undefined;
    throw error;
  }
}
