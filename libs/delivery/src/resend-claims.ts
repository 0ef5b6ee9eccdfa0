import type { Db } from 'mongodb';

interface ResendClaim {
  _id: string;
  claimedAt: Date;
  /** The replay that claimed it; absent for an operator's Resend. */
  by?: string;
}

const collectionName = 'delivery_resends';

const resendKey = (webhookId: string, deliveryId: string, attempt: number) =>
  `${webhookId}:${deliveryId}:${attempt}`;
const replayKey = (webhookId: string, deliveryId: string, replayId: string) =>
  `${webhookId}:${deliveryId}:replay:${replayId}`;

/**
 * Claims on sending a delivery again: one per (webhook, delivery, attempt) for a resend, by an operator or
 * a replay of failures, and one per (webhook, delivery, replay) for a replay of the log. The first caller
 * gets it, every other is refused at once and on every store, because the claim is an insert under a
 * unique `_id`. The log may show a resend's attempt a second late; a claim does not.
 */
export class ResendClaims {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  private collection() {
    return this.db.collection<ResendClaim>(collectionName);
  }

  private async insert(id: string, by: string | undefined): Promise<boolean> {
    try {
      await this.collection().insertOne({
        _id: id,
        claimedAt: new Date(this.now()),
        ...(by === undefined ? {} : { by }),
      });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  /** Claims the resend of a delivery as `attempt`; `by` names the replay claiming it. */
  async claim(webhookId: string, deliveryId: string, attempt: number, by?: string): Promise<boolean> {
    return this.insert(resendKey(webhookId, deliveryId, attempt), by);
  }

  /** Who holds the claim on a delivery's `attempt`: a replay's id, 'operator', or undefined for no one. */
  async holder(webhookId: string, deliveryId: string, attempt: number): Promise<string | undefined> {
    const found = await this.collection().findOne({ _id: resendKey(webhookId, deliveryId, attempt) });
    return found ? (found.by ?? 'operator') : undefined;
  }

  /** Claims sending a delivery again as a first attempt for a replay of the log, once per replay. */
  async claimForReplay(webhookId: string, deliveryId: string, replayId: string): Promise<boolean> {
    return this.insert(replayKey(webhookId, deliveryId, replayId), replayId);
  }

  /** Gives up a claim whose resend was never sent, so the operator may press Resend again. */
  async release(webhookId: string, deliveryId: string, attempt: number): Promise<void> {
    await this.collection().deleteOne({ _id: resendKey(webhookId, deliveryId, attempt) });
  }

  /** Gives up a replay's claim whose delivery was never sent. */
  async releaseForReplay(webhookId: string, deliveryId: string, replayId: string): Promise<void> {
    await this.collection().deleteOne({ _id: replayKey(webhookId, deliveryId, replayId) });
  }

  /** Removes the claims older than the log keeps attempts. */
  async removeOlderThan(horizon: number): Promise<number> {
    return (await this.collection().deleteMany({ claimedAt: { $lt: new Date(horizon) } })).deletedCount;
  }
}
