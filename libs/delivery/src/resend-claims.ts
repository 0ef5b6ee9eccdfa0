import type { Db } from 'mongodb';

interface ResendClaim {
  _id: string;
  claimedAt: Date;
  /** The replay that claimed it; absent for an operator's Resend. */
  by?: string;
  /** Set once a replay's delivery is durably handed to the sender. */
  sentAt?: Date;
}

/**
 * What a claim is on: a resend of a delivery as `attempt`, by an operator or a replay of failures; or a
 * delivery sent again as a first attempt by one replay of the log.
 */
export type ClaimTarget = { webhookId: string; deliveryId: string } & (
  | { attempt: number }
  | { replayId: string }
);

const collectionName = 'delivery_resends';

const keyOf = (target: ClaimTarget) =>
  'attempt' in target
    ? `${target.webhookId}:${target.deliveryId}:${target.attempt}`
    : `${target.webhookId}:${target.deliveryId}:replay:${target.replayId}`;

/**
 * Claims on sending a delivery again. The first caller gets it, every other is refused at once and on
 * every store, because the claim is an insert under a unique `_id`: an operator's Resend and a replay of
 * failures take the same claim, so a failure goes out again once. The log may show a resend's attempt a
 * second late; a claim does not.
 */
export class ResendClaims {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  private collection() {
    return this.db.collection<ResendClaim>(collectionName);
  }

  /** Takes the claim; `by` names the replay taking it. False when someone holds it already. */
  async take(target: ClaimTarget, by?: string): Promise<boolean> {
    try {
      await this.collection().insertOne({
        _id: keyOf(target),
        claimedAt: new Date(this.now()),
        ...(by === undefined ? {} : { by }),
      });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  /**
   * Who holds the claim, a replay's id or 'operator', and whether what it claimed was sent (an operator's
   * Resend counts as sent); undefined for no one.
   */
  async holderOf(target: ClaimTarget): Promise<{ by: string; sent: boolean } | undefined> {
    const found = await this.collection().findOne({ _id: keyOf(target) });
    if (!found) return undefined;
    return found.by === undefined
      ? { by: 'operator', sent: true }
      : { by: found.by, sent: found.sentAt !== undefined };
  }

  /**
   * Records that a replay's claimed deliveries are with the sender: a run that takes the replay over sends
   * again only what was claimed and not marked. One write per claim by `_id`, in one round trip.
   */
  async markSent(targets: readonly ClaimTarget[]): Promise<void> {
    if (targets.length === 0) return;
    const sentAt = new Date(this.now());
    await this.collection().bulkWrite(
      targets.map((target) => ({
        updateOne: { filter: { _id: keyOf(target) }, update: { $set: { sentAt } } },
      })),
      { ordered: false },
    );
  }

  /** Gives up a claim whose delivery was never sent, so it may be sent again. */
  async giveBack(target: ClaimTarget): Promise<void> {
    await this.collection().deleteOne({ _id: keyOf(target) });
  }

  /** Removes the claims older than the log keeps attempts. */
  async removeOlderThan(horizon: number): Promise<number> {
    return (await this.collection().deleteMany({ claimedAt: { $lt: new Date(horizon) } })).deletedCount;
  }
}
