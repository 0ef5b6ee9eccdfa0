import type { Collection, Db } from 'mongodb';
import type { ReplaySource } from './replay-request';

export type ReplayState = 'queued' | 'running' | 'completed' | 'cancelled' | 'failed';
export const activeStates: readonly ReplayState[] = ['queued', 'running'];

/** How far a replay has got, as its runner counts. */
export interface ReplayCounts {
  /** Events read from the log, or final failures read from the attempt log. */
  scanned: number;
  /** Of those, the deliveries the replay is to send. */
  matched: number;
  /** Sent: handed to the sender on webhooks.deliveries. */
  sent: number;
  /** Not sent, because a Resend or another replay already sent that delivery again. */
  skipped: number;
}

export interface Replay extends ReplayCounts {
  id: string;
  webhookId: string;
  source: ReplaySource;
  from: Date;
  to: Date;
  state: ReplayState;
  /** Who asked: the API key's name. */
  requestedBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When its runner last said it is alive; a running replay silent for long is taken over. */
  heartbeatAt: Date;
  /** The run that owns it: each takeover after a runner stopped is the next. */
  run: number;
  /** Why it failed, or stopped before the end. */
  error: string | null;
}

type ReplayDocument = Omit<Replay, 'id'> & { _id: string };

export const noCounts: ReplayCounts = { scanned: 0, matched: 0, sent: 0, skipped: 0 };

/** How long a finished replay is listed; its outcomes are kept as long (replay-outcomes.ts). */
export const finishedReplayKeptMs = 8 * 24 * 3_600_000;

/** A replay as accepted: queued, no run has taken it yet. */
export function queuedReplay(
  fields: Pick<Replay, 'id' | 'webhookId' | 'source' | 'from' | 'to' | 'requestedBy'>,
  now: Date,
): Replay {
  return {
    ...fields,
    ...noCounts,
    state: 'queued',
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    heartbeatAt: now,
    run: 0,
    error: null,
  };
}

const fromDocument = ({ _id, ...document }: ReplayDocument): Replay => ({ id: _id, ...document });

/**
 * Replays and what decides who runs them. A replay's document is written by the API that accepted it and
 * then by the run that owns it alone. The runs and the cancellations are inserts under unique ids (one
 * winner per run number, a cancellation stays), never updates of a shared field, so they hold on a store
 * whose updates are not atomic (FerretDB reads, changes and writes).
 */
export class ReplayStore {
  constructor(private readonly db: Db) {}

  private replays(): Collection<ReplayDocument> {
    return this.db.collection<ReplayDocument>('webhook_replays');
  }

  private runs() {
    return this.db.collection<{ _id: string; claimedAt: Date }>('webhook_replay_runs');
  }

  private cancels() {
    return this.db.collection<{ _id: string; requestedAt: Date; requestedBy: string }>(
      'webhook_replay_cancels',
    );
  }

  async create(replay: Replay): Promise<void> {
    const { id, ...rest } = replay;
    await this.replays().insertOne({ _id: id, ...rest });
  }

  async get(id: string): Promise<Replay | undefined> {
    const found = await this.replays().findOne({ _id: id });
    return found ? fromDocument(found) : undefined;
  }

  /** The webhook's replays, newest first. */
  async listFor(webhookId: string, limit: number): Promise<Replay[]> {
    const found = await this.replays().find({ webhookId }).sort({ createdAt: -1 }).limit(limit).toArray();
    return found.map(fromDocument);
  }

  /** Replays queued or running, on any webhook. */
  async active(): Promise<Replay[]> {
    const found = await this.replays()
      .find({ state: { $in: [...activeStates] } })
      .sort({ createdAt: 1 })
      .toArray();
    return found.map(fromDocument);
  }

  /** Takes a replay for run `run`; false when another runner took that run first. */
  async claimRun(id: string, run: number, now: number): Promise<boolean> {
    try {
      await this.runs().insertOne({ _id: `${id}:${run}`, claimedAt: new Date(now) });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  /**
   * The run's own write of its replay: false when a later run has taken it over meanwhile, and this one
   * must stop.
   */
  async update(id: string, run: number, fields: Partial<Omit<Replay, 'id' | 'run'>>): Promise<boolean> {
    const result = await this.replays().updateOne(
      { _id: id, run: { $lte: run } },
      { $set: { ...fields, run } },
    );
    return result.matchedCount === 1;
  }

  async requestCancel(id: string, requestedBy: string, now: number): Promise<void> {
    try {
      await this.cancels().insertOne({ _id: id, requestedAt: new Date(now), requestedBy });
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }

  async cancelRequested(id: string): Promise<boolean> {
    return (await this.cancels().findOne({ _id: id })) !== null;
  }

  /** Removes the replays finished longer ago than they are listed, with their runs and cancellations. */
  async removeFinishedBefore(horizon: number): Promise<number> {
    const old = await this.replays()
      .find({ state: { $nin: [...activeStates] }, finishedAt: { $lt: new Date(horizon) } })
      .project<{ _id: string; run: number }>({ _id: 1, run: 1 })
      .toArray();
    if (old.length === 0) return 0;
    const ids = old.map((replay) => replay._id);
    await this.cancels().deleteMany({ _id: { $in: ids } });
    await this.runs().deleteMany({
      _id: {
        $in: old.flatMap((replay) =>
          Array.from({ length: replay.run }, (_, run) => `${replay._id}:${run + 1}`),
        ),
      },
    });
    return (await this.replays().deleteMany({ _id: { $in: ids } })).deletedCount;
  }
}
