import type { TopicAdmin } from '@wms-webhooks/kafka';

interface PartitionState {
  committed: number;
  movedAt: number;
}

/**
 * Watches consumer groups' committed offsets twice a second and reports the longest time any partition
 * with records waiting made no progress. Time inside a fault window (a component down on purpose, until
 * it is back) does not count: progress is impossible then, and what matters is how soon it resumes.
 */
export class ProgressMonitor {
  private readonly state = new Map<string, PartitionState>();
  private timer?: NodeJS.Timeout;
  private sampling = false;
  private inFault = false;
  longestStallMs = 0;
  longestStallAt = '';

  constructor(
    private readonly admin: TopicAdmin,
    private readonly groups: ReadonlyArray<{ groupId: string; topic: string }>,
  ) {}

  start() {
    this.timer = setInterval(() => {
      if (this.sampling) return;
      this.sampling = true;
      void this.sample().finally(() => {
        this.sampling = false;
      });
    }, 500);
  }

  faultBegins() {
    this.inFault = true;
  }

  /** The fault is over: every partition's clock starts again now. */
  faultEnds() {
    this.inFault = false;
    const now = Date.now();
    for (const entry of this.state.values()) entry.movedAt = now;
  }

  stop() {
    clearInterval(this.timer);
  }

  private async sample() {
    await Promise.all(
      this.groups.map(async ({ groupId, topic }) => {
        try {
          const [ends, committed] = await Promise.all([
            this.admin.topicOffsets(topic),
            this.admin.committedOffsets(groupId, topic),
          ]);
          const now = Date.now();
          const done = new Map(committed.map((entry) => [entry.partition, Number(entry.offset)]));
          for (const { partition, low, high } of ends) {
            const key = `${topic}[${partition}]`;
            const at = done.get(partition) ?? Number(low);
            const previous = this.state.get(key);
            if (!previous || previous.committed !== at || at >= Number(high) || this.inFault) {
              this.state.set(key, { committed: at, movedAt: now });
              continue;
            }
            const stalled = now - previous.movedAt;
            if (stalled > this.longestStallMs) {
              this.longestStallMs = stalled;
              this.longestStallAt = `${key} (${Number(high) - at} waiting)`;
            }
          }
        } catch {
          // The cluster is unreachable (a broker restart): nothing to learn from this sample.
        }
      }),
    );
  }
}
