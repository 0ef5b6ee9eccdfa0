/** Nearest-rank percentile of unsorted samples; undefined for none. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export interface SecondBucket {
  second: number;
  deliveries: number;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
}

/** Arrivals (time, latency) grouped by whole second since `start`: the series the chart draws. */
export function perSecond(
  arrivals: ReadonlyArray<{ at: number; latencyMs: number }>,
  start: number,
  end: number,
): SecondBucket[] {
  const seconds = Math.max(1, Math.ceil((end - start) / 1000));
  const buckets: number[][] = Array.from({ length: seconds }, () => []);
  for (const arrival of arrivals) {
    const index = Math.floor((arrival.at - start) / 1000);
    if (index >= 0 && index < seconds) buckets[index]?.push(arrival.latencyMs);
  }
  return buckets.map((latencies, second) => ({
    second,
    deliveries: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  }));
}

/**
 * Deliveries per second held through the run: the mean over the seconds from the first delivery to the
 * last, leaving out the first and last `trimSeconds` (ramp-up and drain), so a burst cannot stand in for it.
 */
export function sustainedRate(series: readonly SecondBucket[], trimSeconds = 5): number {
  const first = series.findIndex((bucket) => bucket.deliveries > 0);
  const last = series.length - 1 - [...series].reverse().findIndex((bucket) => bucket.deliveries > 0);
  if (first < 0) return 0;
  const window = series.slice(first + trimSeconds, last + 1 - trimSeconds);
  const used = window.length > 0 ? window : series.slice(first, last + 1);
  return used.reduce((sum, bucket) => sum + bucket.deliveries, 0) / used.length;
}

/**
 * Deliveries per second from the first delivery to the last, nothing left out: for a burst of a few
 * seconds, where the trimmed window of `sustainedRate` holds only its fastest seconds.
 */
export function wholeRunRate(series: readonly SecondBucket[]): number {
  return sustainedRate(series, 0);
}

/**
 * The highest mean over `seconds` consecutive seconds: what the "N deliveries/s sustained for
 * 60 s" asks. Undefined when the run has fewer seconds than that.
 */
export function bestWindowRate(series: readonly SecondBucket[], seconds = 60): number | undefined {
  if (series.length < seconds) return undefined;
  let sum = series.slice(0, seconds).reduce((total, bucket) => total + bucket.deliveries, 0);
  let best = sum;
  for (let end = seconds; end < series.length; end++) {
    sum += (series[end]?.deliveries ?? 0) - (series[end - seconds]?.deliveries ?? 0);
    best = Math.max(best, sum);
  }
  return best / seconds;
}

/** Least-squares slope of y over x: a memory series' growth per second. */
export function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  if (points.length < 2) return 0;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / points.length;
  const numerator = points.reduce((sum, point) => sum + (point.x - meanX) * (point.y - meanY), 0);
  const denominator = points.reduce((sum, point) => sum + (point.x - meanX) ** 2, 0);
  return denominator === 0 ? 0 : numerator / denominator;
}

/**
 * CPU milliseconds the whole box spent per delivery: every sampled process (services, broker, registry,
 * store, and the bench's generator and receiver) over the deliveries the receiver took in the same
 * window. Steadier than a rate on a shared machine, since a neighbour's load slows both sides alike.
 */
export function cpuMsPerDelivery(
  processes: ReadonlyArray<{ cpuSeconds: number }>,
  deliveries: number,
): number | undefined {
  if (deliveries === 0) return undefined;
  const seconds = processes.reduce((sum, entry) => sum + entry.cpuSeconds, 0);
  return Number(((1000 * seconds) / deliveries).toFixed(3));
}

/**
 * What the measured load asks of the system per second: every delivery, and those the receiver answers at
 * their first attempt. The rest arrive as retries a tier later, so the second is the most the series,
 * which counts first attempts, can show.
 */
export function askedRates(
  deliveryIds: readonly string[],
  seconds: number,
  failsFirst: (deliveryId: string) => boolean,
): { deliveriesPerSecond: number; firstAttemptsPerSecond: number } {
  const succeedingFirst = deliveryIds.filter((id) => !failsFirst(id)).length;
  return {
    deliveriesPerSecond: Math.round(deliveryIds.length / seconds),
    firstAttemptsPerSecond: Math.round(succeedingFirst / seconds),
  };
}
