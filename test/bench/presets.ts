export interface BenchSettings {
  preset: string;
  webhooks: number;
  goodsOwners: number;
  /** Automation webhooks for all owners: each receives most events, so at one at a time it sets the pace. */
  allOwnerWebhooks: number;
  /** The all-owner webhooks' `maxConcurrency`: how many of their deliveries may be in flight at once. */
  allOwnerConcurrency: number;
  events: number;
  /** Events per second; 0: as fast as possible. */
  rate: number;
  /** Share of deliveries whose first attempt the receiver fails (their retries succeed). */
  failShare: number;
  senders: number;
  matchers: number;
  /** How long to wait after the last event for deliveries to arrive. */
  drainSeconds: number;
  timeScale: number;
  /**
   * Seconds of load at the run's rate (500/s for a burst) before measuring, delivered before the measured
   * load starts: the JIT, sockets and consumer fetch sessions are warm. It is in the ledger, not the figures.
   */
  warmupSeconds: number;
  /**
   * How long the receiver takes to answer, as a real integrator's endpoint does: a sender then waits on
   * its requests in flight (SENDER_CONCURRENCY) rather than on its CPU. 0 answers at once.
   */
  receiverDelayMs: number;
}

const base = {
  allOwnerWebhooks: 1,
  allOwnerConcurrency: 1,
  failShare: 0.01,
  senders: 1,
  matchers: 1,
  drainSeconds: 60,
  timeScale: 1,
  warmupSeconds: 10,
  receiverDelayMs: 0,
};

/** smoke is CI-sized; the others are the targets. Every field can be overridden by a flag. */
export const presets: Record<string, BenchSettings> = {
  smoke: {
    ...base,
    preset: 'smoke',
    webhooks: 20,
    goodsOwners: 10,
    // Within what a 2-core CI machine delivers, so the ledger can be checked with nothing left queued.
    allOwnerWebhooks: 0,
    events: 3_000,
    rate: 200,
    failShare: 0.05,
    warmupSeconds: 0,
  },
  throughput: { ...base, preset: 'throughput', webhooks: 100, goodsOwners: 20, events: 60_000, rate: 1_000 },
  latency: {
    ...base,
    preset: 'latency',
    // Many integrators with modest volume each: one webhook's deliveries go one at a time, in order.
    webhooks: 200,
    goodsOwners: 200,
    allOwnerWebhooks: 0,
    events: 60_000,
    rate: 1_000,
    failShare: 0,
  },
  'scale-out': {
    ...base,
    preset: 'scale-out',
    webhooks: 100,
    goodsOwners: 20,
    events: 60_000,
    rate: 1_000,
    senders: 2,
    matchers: 2,
  },
  soak: {
    ...base,
    preset: 'soak',
    webhooks: 200,
    goodsOwners: 200,
    allOwnerWebhooks: 0,
    events: 180_000,
    rate: 300,
  },
};

const flags: Record<string, Exclude<keyof BenchSettings, 'preset'>> = {
  '--webhooks': 'webhooks',
  '--goods-owners': 'goodsOwners',
  '--all-owner-webhooks': 'allOwnerWebhooks',
  '--all-owner-concurrency': 'allOwnerConcurrency',
  '--events': 'events',
  '--rate': 'rate',
  '--fail-share': 'failShare',
  '--senders': 'senders',
  '--matchers': 'matchers',
  '--drain-seconds': 'drainSeconds',
  '--time-scale': 'timeScale',
  '--warmup-seconds': 'warmupSeconds',
  '--receiver-delay-ms': 'receiverDelayMs',
};

export class BenchUsageError extends Error {}

/** `--preset NAME` and any overrides; every problem is named, with what would be accepted. */
export function parseBenchArgs(args: readonly string[]): BenchSettings & { keep: boolean; profile: boolean } {
  let keep = false;
  let profile = false;
  let preset = 'smoke';
  const overrides: Partial<Record<Exclude<keyof BenchSettings, 'preset'>, number>> = {};
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const [name, inline] = arg.split('=', 2) as [string, string | undefined];
    if (name === '--keep' || name === '--profile') {
      if (name === '--keep') keep = true;
      else profile = true;
      continue;
    }
    const value = inline ?? args[++index];
    if (value === undefined) throw new BenchUsageError(`${name} needs a value`);
    if (name === '--preset') {
      if (!presets[value])
        throw new BenchUsageError(`unknown preset "${value}"; known: ${Object.keys(presets).join(', ')}`);
      preset = value;
      continue;
    }
    const key = flags[name];
    if (!key)
      throw new BenchUsageError(
        `unknown option ${name}; known: --preset, --keep, --profile, ${Object.keys(flags).join(', ')}`,
      );
    const number = Number(value);
    if (!Number.isFinite(number) || number < 0)
      throw new BenchUsageError(`${name} must be a number ≥ 0, not "${value}"`);
    overrides[key] = number;
  }
  const settings = { ...(presets[preset] as BenchSettings), ...overrides, keep, profile };
  if (settings.failShare > 1) throw new BenchUsageError('--fail-share is a share: 0 to 1');
  if (settings.senders < 1 || settings.matchers < 1)
    throw new BenchUsageError('--senders and --matchers must be at least 1');
  if (!Number.isInteger(settings.allOwnerConcurrency) || settings.allOwnerConcurrency < 1)
    throw new BenchUsageError('--all-owner-concurrency must be a whole number of at least 1');
  return settings;
}
