import type { Db } from 'mongodb';

interface ResendClaim {
  _id: string;
  claimedAt: Date;
}

const collectionName = 'delivery_resends';

/**
 * Claims on resends, one per (webhook, delivery, attempt): the first caller gets it, every other is refused
 * at once and on every store, because the claim is an insert under a unique `_id`. The log may show a
 * resend's attempt a second late; a claim does not.
 */
export class ResendClaims {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  private collection() {
    return this.db.collection<ResendClaim>(collectionName);
  }

  async claim(webhookId: string, deliveryId: string, attempt: number): Promise<boolean> {
    try {
      await this.collection().insertOne({
        _id: `${webhookId}:${deliveryId}:${attempt}`,
        claimedAt: new Date(this.now()),
      });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  /** Gives up a claim whose resend was never sent, so the operator may press Resend again. */
  async release(webhookId: string, deliveryId: string, attempt: number): Promise<void> {
    await this.collection().deleteOne({ _id: `${webhookId}:${deliveryId}:${attempt}` });
  }

  /** Removes the claims older than the log keeps attempts. */
  async removeOlderThan(horizon: number): Promise<number> {
    return (await this.collection().deleteMany({ claimedAt: { $lt: new Date(horizon) } })).deletedCount;
  }
}
