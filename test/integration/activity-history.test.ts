import {
  ActivityRecorder,
  foldClosedHours,
  readActivityHistory,
  removeOldHours,
} from '@wms-webhooks/delivery';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pipeline, startPipeline } from '../support/pipeline';
import { sampleAttemptLog } from '../support/sample-values';
import { testEndpoints } from '../support/stack';
import { uniqueName } from '../support/unique';

const hour = 3_600_000;
const day = 24 * hour;

describe('activity over days, for the Logs chart', () => {
  const client = new MongoClient(testEndpoints().mongodbUri, { serverSelectionTimeoutMS: 5_000 });
  const db = client.db(uniqueName('it_history').replaceAll('-', '_'));
  /** Three days ago, 09:30 UTC; "now" for the reads is four days after that. */
  const then = Date.UTC(2026, 10, 20, 9, 30);
  const now = then + 4 * day;

  beforeAll(() => client.connect());
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });

  /** What a writer logged at `at`, flushed with its clock there, as the sender does every second. */
  async function logged(at: number, webhookId: string, outcomes: Array<'succeeded' | 'failed'>) {
    const writer = new ActivityRecorder(db, { service: 'sender', now: () => at });
    writer.record(
      outcomes.map((outcome) => sampleAttemptLog({ webhookId, outcome, startedAt: new Date(at) })),
    );
    await writer.flush();
  }

  describe('when hours have closed while the writers held them', () => {
    it('folds each once, and a 7-day chart shows them in 6-hour bars', async () => {
      await logged(then, 'wh-a', ['succeeded', 'failed', 'succeeded']);
      await logged(then + 10 * 60_000, 'wh-a', ['succeeded']);
      await logged(then, 'wh-b', ['succeeded']);

      const api1 = new Set<number>();
      const api2 = new Set<number>();
      const foldAt = then + 2 * hour;
      const folded = await foldClosedHours(db, foldAt, api1);
      expect(folded).toContain(Math.floor(then / hour));
      // A second api folding the same hours stores nothing twice.
      await foldClosedHours(db, foldAt, api2);
      expect(await db.collection('webhook_activity_hours').countDocuments({})).toBe(folded.length);

      const { stepHours, points } = await readActivityHistory(db, 'wh-a', '7d', now, now - 30 * day);
      expect(stepHours).toBe(6);
      expect(points).toHaveLength(28);
      const bar = points.find((point) => point.start.getTime() === Date.UTC(2026, 10, 20, 6));
      expect(bar).toMatchObject({ attempts: 4, failures: 1 });
      expect(points.reduce((sum, point) => sum + point.attempts, 0)).toBe(4);
    });

    it('draws a 30-day chart by day, and nothing before the retention', async () => {
      const inRetention = await readActivityHistory(db, 'wh-a', '30d', now, now - 30 * day);
      expect(inRetention.points).toHaveLength(30);
      expect(
        inRetention.points.find((point) => point.start.getTime() === Date.UTC(2026, 10, 20)),
      ).toMatchObject({
        attempts: 4,
      });
      const shortRetention = await readActivityHistory(db, 'wh-a', '30d', now, now - 2 * day);
      expect(shortRetention.points.every((point) => point.attempts === 0)).toBe(true);
    });
  });

  describe('when folded hours pass the retention', () => {
    it('removes them', async () => {
      expect(await removeOldHours(db, now)).toBeGreaterThan(0);
      expect(await db.collection('webhook_activity_hours').countDocuments({})).toBe(0);
    });
  });
});

describe('GET /api/webhooks/:id/activity/history', () => {
  let pipeline: Pipeline;
  let webhookId = '';

  beforeAll(async () => {
    pipeline = await startPipeline();
    webhookId = (await pipeline.createWebhook()).id;
  });
  afterAll(() => pipeline?.stop());

  it('answers each window with its bars, oldest first', async () => {
    const answer = (await (
      await pipeline.api(`/api/webhooks/${webhookId}/activity/history?window=30d`)
    ).json()) as { window: string; stepHours: number; points: Array<{ start: string }> };
    expect(answer).toMatchObject({ window: '30d', stepHours: 24 });
    expect(answer.points).toHaveLength(30);
    expect(Date.parse(answer.points[0]?.start ?? '')).toBeLessThan(
      Date.parse(answer.points[29]?.start ?? ''),
    );
  });

  it('refuses a window it does not offer, naming the field, even one that names a property of every object', async () => {
    for (const window of ['1y', 'constructor', 'toString']) {
      const response = await pipeline.api(`/api/webhooks/${webhookId}/activity/history?window=${window}`);
      expect(response.status, window).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('window');
    }
  });
});
