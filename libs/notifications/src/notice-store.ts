import type { Collection, Db } from 'mongodb';
import type { FailureNotice } from './failure-notice';

export interface NoticeState {
  webhookId: string;
  lastSentAt: Date | null;
  pending: FailureNotice[];
  /** Failures beyond the pending cap; counted, listed in the logs. */
  omitted: number;
  /** A failure email went out and no recovery email since: the next success earns one. */
  owesRecovery: boolean;
  /** The first final failure since the webhook last delivered, as far as dead letters tell. */
  failingSince: Date | null;
  /** Why the system disabled the webhook, until the email saying so has gone out. */
  disabledNotice: string | null;
  revision: number;
}

type NoticeDocument = Omit<NoticeState, 'webhookId'> & { _id: string };

// States written before recovery emails existed owe none.
const toState = ({ _id, ...rest }: NoticeDocument): NoticeState => ({
  webhookId: _id,
  ...rest,
  owesRecovery: rest.owesRecovery ?? false,
  failingSince: rest.failingSince ?? null,
  disabledNotice: rest.disabledNotice ?? null,
});

/**
 * Per webhook: when the last email went out and the failures waiting for the next. Writes are
 * conditional on the revision read, so a flush and a new failure never overwrite each other.
 */
export class NoticeStore {
  private readonly collection: Collection<NoticeDocument>;

  constructor(
    db: Db,
    private readonly maxPending = 50,
  ) {
    this.collection = db.collection<NoticeDocument>('failure_notices');
  }

  async ensureIndexes() {
    await this.collection.createIndex({ lastSentAt: 1 });
  }

  async get(webhookId: string): Promise<NoticeState> {
    const document = await this.collection.findOne({ _id: webhookId });
    return document
      ? toState(document)
      : {
          webhookId,
          lastSentAt: null,
          pending: [],
          omitted: 0,
          owesRecovery: false,
          failingSince: null,
          disabledNotice: null,
          revision: 0,
        };
  }

  /**
   * Adds failures (a redelivered dead letter is recognised by its delivery id and not added twice), and
   * moves `failingSince` back to `failedAt` when that is earlier.
   */
  async add(webhookId: string, notices: readonly FailureNotice[], failedAt?: Date): Promise<NoticeState> {
    for (;;) {
      const state = await this.get(webhookId);
      const failingSince =
        failedAt && (!state.failingSince || failedAt < state.failingSince) ? failedAt : state.failingSince;
      const known = new Set(state.pending.map((notice) => notice.deliveryId));
      const fresh = notices.filter((notice) => !known.has(notice.deliveryId));
      const room = Math.max(0, this.maxPending - state.pending.length);
      const next: NoticeState = {
        ...state,
        pending: [...state.pending, ...fresh.slice(0, room)],
        omitted: state.omitted + Math.max(0, fresh.length - room),
        failingSince,
        revision: state.revision + 1,
      };
      if (await this.write(state.revision, next)) return next;
    }
  }

  /**
   * Webhooks to follow up on: owed a recovery email, failing since some time, or owed the email that
   * says the system disabled them.
   */
  async toFollowUp(): Promise<NoticeState[]> {
    const documents = await this.collection
      .find({
        $or: [{ owesRecovery: true }, { failingSince: { $ne: null } }, { disabledNotice: { $ne: null } }],
      })
      .toArray();
    return documents.map(toState);
  }

  /** Changes what a state says about failing and disabling, if nobody changed it first. */
  async settleFailing(
    state: NoticeState,
    change: Pick<NoticeState, 'failingSince' | 'disabledNotice'>,
  ): Promise<NoticeState | undefined> {
    const next: NoticeState = { ...state, ...change, revision: state.revision + 1 };
    return (await this.write(state.revision, next)) ? next : undefined;
  }

  /**
   * Takes the pending failures for one email: the queue empties and the hour starts, in one conditional
   * write, so two flushes (a timer and a new failure, or two instances) never send the same failures.
   * Undefined when someone else changed the state first.
   */
  async claim(state: NoticeState, sentAt: Date): Promise<NoticeState | undefined> {
    const next: NoticeState = {
      ...state,
      lastSentAt: sentAt,
      pending: [],
      omitted: 0,
      owesRecovery: true,
      revision: state.revision + 1,
    };
    return (await this.write(state.revision, next)) ? next : undefined;
  }

  /**
   * Marks the recovery email as sent, in one conditional write, so two flushes never send it twice.
   * Undefined when someone else changed the state first (a new failure, another instance).
   */
  async claimRecovery(state: NoticeState): Promise<NoticeState | undefined> {
    const next: NoticeState = { ...state, owesRecovery: false, revision: state.revision + 1 };
    return (await this.write(state.revision, next)) ? next : undefined;
  }

  /** The recovery email could not be sent: it is owed again, unless a failure email went out meanwhile. */
  async releaseRecovery(webhookId: string): Promise<void> {
    for (;;) {
      const current = await this.get(webhookId);
      if (current.revision === 0) return;
      const next: NoticeState = { ...current, owesRecovery: true, revision: current.revision + 1 };
      if (await this.write(current.revision, next)) return;
    }
  }

  /** The email could not be sent: the claimed failures go back in front, and the hour is not spent. */
  async release(claimed: NoticeState): Promise<void> {
    for (;;) {
      const current = await this.get(claimed.webhookId);
      const back = new Set(claimed.pending.map((notice) => notice.deliveryId));
      const next: NoticeState = {
        ...current,
        lastSentAt: claimed.lastSentAt,
        pending: [
          ...claimed.pending,
          ...current.pending.filter((notice) => !back.has(notice.deliveryId)),
        ].slice(0, this.maxPending),
        omitted: current.omitted + claimed.omitted,
        owesRecovery: claimed.owesRecovery,
        revision: current.revision + 1,
      };
      if (await this.write(current.revision, next)) return;
    }
  }

  /** Webhooks with failures waiting whose last email is at least `intervalMs` old. */
  async due(now: Date, intervalMs: number): Promise<NoticeState[]> {
    const cutoff = new Date(now.getTime() - intervalMs);
    const documents = await this.collection
      .find({ 'pending.0': { $exists: true }, $or: [{ lastSentAt: null }, { lastSentAt: { $lte: cutoff } }] })
      .toArray();
    return documents.map(toState);
  }

  async forget(webhookId: string): Promise<void> {
    await this.collection.deleteOne({ _id: webhookId });
  }

  private async write(expectedRevision: number, next: NoticeState): Promise<boolean> {
    const { webhookId, ...rest } = next;
    if (expectedRevision === 0) {
      try {
        await this.collection.insertOne({ _id: webhookId, ...rest });
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === 11000) return false;
        throw error;
      }
    }
    const result = await this.collection.replaceOne({ _id: webhookId, revision: expectedRevision }, rest);
    return result.matchedCount === 1;
  }
}
