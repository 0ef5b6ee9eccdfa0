import type { TopicAdmin } from '@wms-webhooks/kafka';

export interface LagSample {
  at: number;
  byGroup: Record<string, number>;
}

/** Each consumer group's lag (end offset minus committed, summed over partitions), once a second. */
export class LagSampler {
  readonly samples: LagSample[] = [];
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly admin: TopicAdmin,
    private readonly groups: ReadonlyArray<{ group: string; topic: string }>,
  ) {}

  start(intervalMs = 1_000) {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = true;
      void this.sample().finally(() => {
        this.running = false;
      });
    }, intervalMs);
  }

  stop() {
    clearInterval(this.timer);
  }

  private async sample() {
    const at = Date.now();
    const byGroup: Record<string, number> = {};
    await Promise.all(
      this.groups.map(async ({ group, topic }) => {
        try {
          const lags = await this.admin.consumerLag(group, topic);
          byGroup[group] = lags.reduce((sum, entry) => sum + entry.lag, 0);
        } catch {
          // A group that has not committed yet has no lag to show.
        }
      }),
    );
    this.samples.push({ at, byGroup });
  }
}
