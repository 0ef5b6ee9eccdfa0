import type { Collection, Db } from 'mongodb';
import { hourMs, hoursKept, readWriterCounts } from './webhook-activity';

/**
 * Each closed hour's attempts and failures per webhook, summed over every writer once the hour has
 * settled: the writers keep 25 hours, this keeps the retention, so a chart over days reads a document
 * an hour instead of the log. Insert-only, under the hour's number: two processes folding the same
 * hour store it once, and no update needs to be atomic.
 */
interface HourDocument {
  _id: string;
  hour: Date;
  /** webhookId → [attempts, failures], as one JSON string: the document is only read whole. */
  webhooks: string;
}

export type Window = '24h' | '7d' | '30d';

/** How far each window reaches and how wide its bars are. */
export const windows: Record<Window, { hours: number; stepHours: number }> = {
  '24h': { hours: 24, stepHours: 1 },
  '7d': { hours: 7 * 24, stepHours: 6 },
  '30d': { hours: 30 * 24, stepHours: 24 },
};

export interface ActivityPoint {
  start: Date;
  attempts: number;
  failures: number;
}

/** An hour is folded once this long has passed since it ended: attempts are logged after they end. */
const settleMs = 5 * 60_000;

const collectionName = 'webhook_activity_hours';

function hoursCollection(db: Db): Collection<HourDocument> {
  return db.collection<HourDocument>(collectionName);
}

const idOf = (hour: number) => `h${String(hour).padStart(10, '0')}`;

function isDuplicate(error: unknown): boolean {
  const failure = error as { code?: number; writeErrors?: Array<{ code?: number }> };
  return (failure.writeErrors ?? [failure]).every((each) => each.code === 11000);
}

/**
 * Folds the closed hours the writers still hold and nobody has folded yet. `folded` remembers, for the
 * process, the hours known to be stored, so after the first run it reads the writers once an hour.
 */
export async function foldClosedHours(db: Db, now: number, folded: Set<number>): Promise<number[]> {
  const lastClosed = Math.floor((now - settleMs) / hourMs) - 1;
  const firstHeld = Math.floor(now / hourMs) - hoursKept + 1;
  const pending: number[] = [];
  for (let hour = firstHeld; hour <= lastClosed; hour++) if (!folded.has(hour)) pending.push(hour);
  if (pending.length === 0) return [];
  const sums = new Map<number, Record<string, [number, number]>>(pending.map((hour) => [hour, {}]));
  for (const counts of await readWriterCounts(db, now)) {
    for (const [webhookId, { hours }] of Object.entries(counts)) {
      for (const [hour, [attempts, failures]] of Object.entries(hours)) {
        const sum = sums.get(Number(hour));
        if (!sum) continue;
        const [totalAttempts, totalFailures] = sum[webhookId] ?? [0, 0];
        sum[webhookId] = [totalAttempts + attempts, totalFailures + failures];
      }
    }
  }
  const documents = pending.map((hour) => ({
    _id: idOf(hour),
    hour: new Date(hour * hourMs),
    webhooks: JSON.stringify(sums.get(hour)),
  }));
  try {
    await hoursCollection(db).insertMany(documents, { ordered: false });
  } catch (error) {
    // Another process stored some of these hours first: theirs stand, summed from the same writers.
    if (!isDuplicate(error)) throw error;
  }
  for (const hour of pending) folded.add(hour);
  // Keep the set to the hours the writers still hold.
  for (const hour of folded) if (hour < firstHeld) folded.delete(hour);
  return pending;
}

/** Removes folded hours older than the retention: at most one document an hour, whatever the traffic. */
export async function removeOldHours(db: Db, horizon: number): Promise<number> {
  return (await hoursCollection(db).deleteMany({ hour: { $lt: new Date(horizon) } })).deletedCount;
}

/**
 * One webhook's attempts and failures over a window, oldest bar first, the current one last: the hours
 * the writers still hold from them (they are the freshest), the older ones from the folded hours. Hours
 * before the retention are empty, as the log holds nothing from then.
 */
export async function readActivityHistory(
  db: Db,
  webhookId: string,
  window: Window,
  now: number,
  horizon: number,
): Promise<{ stepHours: number; points: ActivityPoint[] }> {
  const { hours, stepHours } = windows[window];
  const currentHour = Math.floor(now / hourMs);
  const lastStep = Math.floor(currentHour / stepHours);
  const steps = Math.ceil(hours / stepHours);
  const firstStep = lastStep - steps + 1;
  const points = Array.from({ length: steps }, (_, index) => ({
    start: new Date((firstStep + index) * stepHours * hourMs),
    attempts: 0,
    failures: 0,
  }));
  const add = (hour: number, attempts: number, failures: number) => {
    const point = points[Math.floor(hour / stepHours) - firstStep];
    if (!point || hour * hourMs < horizon - hourMs) return;
    point.attempts += attempts;
    point.failures += failures;
  };
  // The writers hold the last 25 hours and are the freshest; a writer that stopped may still hold older
  // hours, which the folded hours have already counted.
  const firstHeld = currentHour - hoursKept + 1;
  for (const counts of await readWriterCounts(db, now)) {
    for (const [hour, [attempts, failures]] of Object.entries(counts[webhookId]?.hours ?? {})) {
      if (Number(hour) >= firstHeld) add(Number(hour), attempts, failures);
    }
  }
  const firstHour = firstStep * stepHours;
  if (firstHour < firstHeld) {
    const folded = await hoursCollection(db)
      .find({ hour: { $gte: new Date(firstHour * hourMs), $lt: new Date(firstHeld * hourMs) } })
      .toArray();
    for (const document of folded) {
      const counts = (JSON.parse(document.webhooks) as Record<string, [number, number]>)[webhookId];
      if (counts) add(document.hour.getTime() / hourMs, counts[0], counts[1]);
    }
  }
  return { stepHours, points };
}
